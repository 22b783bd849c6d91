// Neighbourhood export: links of the given types from these persons to enterprises, at most $cap per person and type (lowest keys first)
// :params {keys: ["9c1e0000000000000000000000000000"], types: ["LEGAL_REP_OF", "HOLDS_POSITION"], cap: 2000}
// The person is matched first (by its index): FalkorDB otherwise scans every enterprise.
UNWIND $keys AS key
MATCH (p:Person {pid: key})
WITH key, p
MATCH (p)-[r]->(e:Enterprise)
WHERE type(r) IN $types AND e.uscc IS NOT NULL
WITH key, type(r) AS type, e.uscc AS dst
ORDER BY key, type, dst
WITH key, type, collect(dst) AS dsts
RETURN key AS src, type, dsts[..$cap] AS dsts, size(dsts) AS total
