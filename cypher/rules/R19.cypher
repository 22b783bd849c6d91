// Firm registered shortly before a large administrative penalty (新设即受大额处罚)
// :params {"today": "2026-06-30", "months": 12, "min_amount": 500000.0, "lookback_years": 3, "penalty_kind": "行政处罚", "exclude_statuses": ["注销", "迁出"]}
// id: R19
// title_zh: 新设企业短期内受大额行政处罚
// severity: high
// targets: young_firm_large_penalty
// evidence: the establishment date and the large penalties within the period
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND v.kind = $penalty_kind
  AND v.amount >= $min_amount
  AND v.date >= e.established
  AND v.date < e.established + duration({months: $months})
  AND v.date > date($today) - duration({years: $lookback_years})
  AND v.date <= date($today)
WITH e, v
ORDER BY v.date, v.vid
WITH e, collect('violation:' + v.vid) AS penalties
RETURN e.uscc AS subject, ['established:' + toString(e.established)] + penalties AS evidence
