// Repeatedly failed random inspections (抽查检查不合格) in a recent period
// :params {"today": "2026-06-30", "min_failures": 2, "months": 24, "failure_kind": "抽查检查不合格", "exclude_statuses": ["注销", "迁出"]}
// id: R14
// title_zh: 多次抽查检查不合格
// severity: medium
// evidence: the failed inspections of the period
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND v.kind = $failure_kind
  AND v.date > date($today) - duration({months: $months})
  AND v.date <= date($today)
WITH e, v
ORDER BY v.date, v.vid
WITH e, collect('violation:' + v.vid) AS failures
WHERE size(failures) >= $min_failures
RETURN e.uscc AS subject, failures AS evidence
