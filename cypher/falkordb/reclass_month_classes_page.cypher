// Monthly re-classification: the enterprises of one internal-id window (see graph/paging.py) with their class of $month
// :params {after: -1, until: 20000, limit: 20000, month: "2026-05"}
// FalkorDB sorts all the remaining nodes for ORDER BY … LIMIT; an id window is a seek.
MATCH (e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN id(e) AS cursor, e.uscc AS key,
       [(e)-[:HAS_ASSESSMENT]->(a:RiskAssessment) WHERE a.month = $month | a.risk_class] AS classes
