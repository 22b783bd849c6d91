// Neighbourhood export: links of the given types from enterprises to these addresses, at most $cap per address and type (lowest keys first)
// :params {keys: ["3f2a"], types: ["REGISTERED_AT"], cap: 2000}
UNWIND $keys AS key
MATCH (a:Address {aid: key})
WITH key, a
MATCH (e:Enterprise)-[r]->(a)
WHERE type(r) IN $types AND e.uscc IS NOT NULL
WITH key, type(r) AS type, e.uscc AS src
ORDER BY key, type, src
WITH key, type, collect(src) AS srcs
RETURN key AS dst, type, srcs[..$cap] AS srcs, size(srcs) AS total
