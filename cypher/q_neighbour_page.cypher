// Neighbourhood: one page of a node's neighbours over one relationship type and direction, riskiest first
// :params {label: "Enterprise", key: "91110108123456788E", type: "INVESTS_IN", direction: "in", risk_class: null, offset: 0, limit: 20}
OPTIONAL MATCH (e:Enterprise {uscc: $key}) WHERE $label = 'Enterprise'
OPTIONAL MATCH (p:Person {pid: $key}) WHERE $label = 'Person'
OPTIONAL MATCH (a:Address {aid: $key}) WHERE $label = 'Address'
OPTIONAL MATCH (v:Violation {vid: $key}) WHERE $label = 'Violation'
WITH coalesce(e, p, a, v) AS node
WHERE node IS NOT NULL
MATCH (node)-[r]-(m)
WHERE type(r) = $type AND (startNode(r) = node) = ($direction = 'out')
  AND ($risk_class IS NULL OR coalesce(m.risk_class, m.label_class, 'none') = $risk_class)
WITH r, m, size([(m)--(other) | other]) AS degree
RETURN r, m, degree
ORDER BY coalesce(m.risk_score, -1.0) DESC,
         CASE coalesce(m.risk_class, m.label_class)
           WHEN 'D' THEN 4 WHEN 'C' THEN 3 WHEN 'B' THEN 2 WHEN 'A' THEN 1 ELSE 0
         END DESC,
         degree DESC, coalesce(m.uscc, m.pid, m.aid, m.vid, m.rid)
SKIP $offset
LIMIT $limit
