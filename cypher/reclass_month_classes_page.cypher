// Monthly re-classification: one page of enterprises after a cursor (the key, in index order) with their class of $month
// :params {after: null, until: null, limit: 20000, month: "2026-05"}
MATCH (e:Enterprise)
WHERE e.uscc > coalesce($after, '')
WITH e
ORDER BY e.uscc
LIMIT $limit
RETURN e.uscc AS cursor, e.uscc AS key,
       [(e)-[:HAS_ASSESSMENT]->(a:RiskAssessment) WHERE a.month = $month | a.risk_class] AS classes
