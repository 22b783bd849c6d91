// Neighbourhood: how many relationships one node has per type and direction (counted by aggregation, hub-safe)
// :params {label: "Enterprise", key: "91110108123456788E"}
OPTIONAL MATCH (e:Enterprise {uscc: $key}) WHERE $label = 'Enterprise'
OPTIONAL MATCH (p:Person {pid: $key}) WHERE $label = 'Person'
OPTIONAL MATCH (a:Address {aid: $key}) WHERE $label = 'Address'
OPTIONAL MATCH (v:Violation {vid: $key}) WHERE $label = 'Violation'
WITH coalesce(e, p, a, v) AS node
WHERE node IS NOT NULL
OPTIONAL MATCH (node)-[r]-()
RETURN node, type(r) AS type, CASE WHEN startNode(r) = node THEN 'out' ELSE 'in' END AS direction,
       count(r) AS total
