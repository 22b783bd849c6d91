// A case's alerts, high severity first, then by key (at most $limit)
// :params {id: "CASE-3f9a1c0b7e21", limit: 500}
MATCH (a:Alert {case_id: $id})
RETURN properties(a) AS alert
ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, a.key
LIMIT $limit
