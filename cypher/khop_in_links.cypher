// Neighbourhood export: links of the given types ending at these enterprises, at most $cap sources per enterprise and type (lowest keys first)
// :params {keys: ["91110108123456788E"], types: ["LEGAL_REP_OF", "HOLDS_POSITION", "INVESTS_IN"], cap: 2000}
// As gnn_in_edges, plus the group's total so a capped hub is known as one; `roles` is
// aligned with `srcs` for HOLDS_POSITION ('' where a position has no role).
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
WITH key, e
MATCH (s)-[r]->(e)
WHERE type(r) IN $types
WITH key, type(r) AS type, labels(s) AS src_labels, coalesce(s.uscc, s.pid, s.aid) AS src,
     CASE WHEN type(r) = 'HOLDS_POSITION' THEN coalesce(r.role, '') END AS role
WHERE src IS NOT NULL
WITH key, type, src_labels, src, role
ORDER BY key, type, src
WITH key, type, src_labels, collect(src) AS srcs, collect(role) AS roles
RETURN key AS dst, type, src_labels, srcs[..$cap] AS srcs, roles[..$cap] AS roles,
       size(srcs) AS total
