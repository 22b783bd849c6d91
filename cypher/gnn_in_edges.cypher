// Risk model export: relationships of the given types that end at these enterprises
// :params {keys: ["91110108123456788E"], types: ["LEGAL_REP_OF", "HOLDS_POSITION", "INVESTS_IN", "BRANCH_OF"]}
// One row per (enterprise, type, source labels) with the sources collected, so a page
// of links comes back in few rows; `roles` is aligned with `srcs` for HOLDS_POSITION
// ('' where a position has no role) and empty for the other types.
UNWIND $keys AS key
MATCH (s)-[r]->(e:Enterprise {uscc: key})
WHERE type(r) IN $types
WITH key, type(r) AS type, labels(s) AS src_labels, coalesce(s.uscc, s.pid, s.aid) AS src,
     CASE WHEN type(r) = 'HOLDS_POSITION' THEN coalesce(r.role, '') END AS role
WHERE src IS NOT NULL
RETURN key AS dst, type, src_labels, collect(src) AS srcs, collect(role) AS roles
