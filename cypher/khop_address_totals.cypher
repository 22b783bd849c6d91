// Neighbourhood export: per address, the distinct enterprises registered at it, in the whole graph
// :params {keys: ["3f2a"]}
UNWIND $keys AS key
MATCH (a:Address {aid: key})
WITH key, a
MATCH (e:Enterprise)-[:REGISTERED_AT]->(a)
WHERE e.uscc IS NOT NULL
RETURN key, count(DISTINCT e) AS firms
