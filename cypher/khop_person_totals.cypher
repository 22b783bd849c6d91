// Neighbourhood export: per person, the distinct enterprises it links to by the given types and those it represents (LEGAL_REP_OF), in the whole graph
// :params {keys: ["9c1e0000000000000000000000000000"], types: ["LEGAL_REP_OF", "HOLDS_POSITION"]}
UNWIND $keys AS key
MATCH (p:Person {pid: key})
WITH key, p
MATCH (p)-[r]->(e:Enterprise)
WHERE type(r) IN $types AND e.uscc IS NOT NULL
RETURN key, count(DISTINCT e) AS firms,
       count(DISTINCT CASE WHEN type(r) = 'LEGAL_REP_OF' THEN e END) AS legal_rep
