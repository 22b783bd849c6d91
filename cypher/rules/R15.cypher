// Region where new abnormal-operation listings (经营异常名录) surge against the previous period (异常频现经营地域)
// :params {"today": "2026-06-30", "months": 1, "min_firms": 10, "min_ratio": 3.0, "abnormal_kind": "经营异常名录", "exclude_statuses": ["注销", "迁出"]}
// id: R15
// title_zh: 异常频现经营地域（经营异常名录环比激增）
// severity: medium
// targets: abnormal_region_surge
// evidence: the region, the firms listed in the latest period and in the one before
// A region is flagged when the firms newly listed in the last $months number at least
// $min_firms and at least $min_ratio times those listed in the $months before (1 when none).
// The subjects are the firms listed in the latest period.
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE v.kind = $abnormal_kind
  AND e.region_code IS NOT NULL
  AND NOT coalesce(e.status, '') IN $exclude_statuses
  AND v.date > date($today) - duration({months: 2 * $months})
  AND v.date <= date($today)
WITH e.region_code AS region, e,
     v.date > date($today) - duration({months: $months}) AS latest
WITH region,
     collect(DISTINCT CASE WHEN latest THEN e.uscc END) AS current,
     collect(DISTINCT CASE WHEN NOT latest THEN e.uscc END) AS previous
WITH region, current, size(previous) AS before
WHERE size(current) >= $min_firms
  AND toFloat(size(current)) >= $min_ratio * (CASE WHEN before > 0 THEN before ELSE 1 END)
UNWIND current AS subject
RETURN subject,
       ['region:' + region, 'listed_latest:' + toString(size(current)),
        'listed_before:' + toString(before)] AS evidence
