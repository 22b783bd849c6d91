// Frequent changes of officers (董事, 监事, 经理, 财务负责人 …) within a short period
// :params {"today": "2026-06-30", "min_officers": 5, "months": 12, "grace_days": 90, "exclude_statuses": ["注销", "迁出"]}
// id: R18
// title_zh: 高级管理人员短期内频繁变更
// severity: medium
// targets: officer_churn
// evidence: the officers who took office in the period, with their start dates
// Flagged when at least $min_officers distinct persons took an office in the last $months.
// Offices taken within $grace_days of establishment are the founding team, not changes.
MATCH (p:Person)-[r:HOLDS_POSITION]->(e:Enterprise)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND r.since > e.established + duration({days: $grace_days})
  AND r.since > date($today) - duration({months: $months})
  AND r.since <= date($today)
WITH e, r, p
ORDER BY r.since, p.pid
WITH e, collect(DISTINCT p.pid) AS officers,
     collect('officer:' + p.pid + '@' + toString(r.since)) AS changes
WHERE size(officers) >= $min_officers
RETURN e.uscc AS subject, changes AS evidence
