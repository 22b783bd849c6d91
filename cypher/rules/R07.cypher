// High-frequency complaints and reports (高频投诉举报) in a recent period
// :params {"today": "2026-06-30", "min_complaints": 3, "months": 12, "complaint_kind": "投诉举报", "exclude_statuses": ["注销", "迁出"]}
// id: R07
// title_zh: 高频投诉举报
// severity: medium
// evidence: the complaint records of the period
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND v.kind = $complaint_kind
  AND v.date > date($today) - duration({months: $months})
  AND v.date <= date($today)
WITH e, v
ORDER BY v.date, v.vid
WITH e, collect('violation:' + v.vid) AS complaints
WHERE size(complaints) >= $min_complaints
RETURN e.uscc AS subject, complaints AS evidence
