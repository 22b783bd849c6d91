// Neighbourhood export: links from these enterprises to enterprises ($firm_types) and to other nodes ($other_types), at most $cap per enterprise and type (lowest keys first)
// :params {keys: ["91110108123456788E"], firm_types: ["INVESTS_IN", "BRANCH_OF"], other_types: ["REGISTERED_AT"], cap: 2000}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
WITH key, e
MATCH (e)-[r]->(t)
WHERE (type(r) IN $firm_types AND t:Enterprise) OR (type(r) IN $other_types AND NOT t:Enterprise)
WITH key, type(r) AS type, labels(t) AS dst_labels, coalesce(t.uscc, t.aid, t.pid) AS dst
WHERE dst IS NOT NULL
WITH key, type, dst_labels, dst
ORDER BY key, type, dst
WITH key, type, dst_labels, collect(dst) AS dsts
RETURN key AS src, type, dst_labels, dsts[..$cap] AS dsts, size(dsts) AS total
