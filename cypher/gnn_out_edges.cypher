// Risk model export: relationships of the given types from these enterprises to non-enterprise nodes
// :params {keys: ["91110108123456788E"], types: ["REGISTERED_AT"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})-[r]->(t)
WHERE type(r) IN $types AND NOT t:Enterprise
RETURN key AS src, type(r) AS type, labels(t) AS dst_labels, coalesce(t.aid, t.pid) AS dst
