// Risk model export: relationships of the given types that end at these enterprises
// :params {keys: ["91110108123456788E"], types: ["LEGAL_REP_OF", "HOLDS_POSITION", "INVESTS_IN", "BRANCH_OF"]}
UNWIND $keys AS key
MATCH (s)-[r]->(e:Enterprise {uscc: key})
WHERE type(r) IN $types
RETURN key AS dst, type(r) AS type, labels(s) AS src_labels, coalesce(s.uscc, s.pid, s.aid) AS src,
       r.role AS role
