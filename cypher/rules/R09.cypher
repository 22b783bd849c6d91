// Circular shareholding: a chain of enterprise investments that returns to where it started
// :params {"today": "2026-06-30", "max_length": 6, "min_ratio": 0.0, "exclude_statuses": ["注销", "迁出"]}
// id: R09
// title_zh: 循环持股
// severity: high
// targets: circular_shareholding
// evidence: the shortest cycle through the firm, in investment order
// The literal bound 2..6 caps the search; $max_length narrows it.
MATCH path = (e:Enterprise)-[:INVESTS_IN*2..6]->(e)
WHERE length(path) <= $max_length
  AND all(n IN nodes(path) WHERE NOT coalesce(n.status, '') IN $exclude_statuses)
  AND all(r IN relationships(path) WHERE coalesce(r.ratio, 0.0) >= $min_ratio)
WITH e, path
ORDER BY length(path)
WITH e, collect([n IN nodes(path) | 'firm:' + n.uscc]) AS cycles
RETURN e.uscc AS subject, cycles[0] AS evidence
