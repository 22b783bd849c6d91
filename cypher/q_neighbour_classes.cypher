// Neighbourhood: a node's neighbours over one relationship type and direction counted per kind and risk class (for group nodes)
// :params {label: "Address", key: "a-0001", type: "REGISTERED_AT", direction: "in"}
OPTIONAL MATCH (e:Enterprise {uscc: $key}) WHERE $label = 'Enterprise'
OPTIONAL MATCH (p:Person {pid: $key}) WHERE $label = 'Person'
OPTIONAL MATCH (a:Address {aid: $key}) WHERE $label = 'Address'
OPTIONAL MATCH (v:Violation {vid: $key}) WHERE $label = 'Violation'
WITH coalesce(e, p, a, v) AS node
WHERE node IS NOT NULL
MATCH (node)-[r]-(m)
WHERE type(r) = $type AND (startNode(r) = node) = ($direction = 'out')
WITH CASE
       WHEN m:Enterprise THEN 'Enterprise' WHEN m:Person THEN 'Person'
       WHEN m:Address THEN 'Address' WHEN m:Violation THEN 'Violation' ELSE 'Other'
     END AS kind,
     coalesce(m.risk_class, m.label_class, 'none') AS cls
RETURN kind, cls, count(*) AS total
ORDER BY kind, cls
