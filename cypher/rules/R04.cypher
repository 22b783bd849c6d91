// Frequent changes of the legal representative within a period
// :params {"today": "2026-06-30", "min_changes": 3, "months": 24, "exclude_statuses": ["注销", "迁出"]}
// id: R04
// title_zh: 法定代表人频繁变更
// severity: medium
// evidence: the legal representatives who took office in the period, with their start dates
MATCH (p:Person)-[r:LEGAL_REP_OF]->(e:Enterprise)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND r.since > e.established
  AND r.since > date($today) - duration({months: $months})
  AND r.since <= date($today)
WITH e, r, p
ORDER BY r.since
WITH e, collect('legal_rep:' + p.pid + '@' + toString(r.since)) AS changes
WHERE size(changes) >= $min_changes
RETURN e.uscc AS subject, changes AS evidence
