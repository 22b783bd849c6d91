// Associated risk (关联风险): open violations (有效) of enterprises within 3 hops, each with a shortest path to its enterprise and the HAS_VIOLATION link
// :params {uscc: "91110108123456788E", hops: 3, limit: 100}
// Its own file: variable-length bounds cannot be parameters, and 2-hop calls must not pay for a third hop.
MATCH (root:Enterprise {uscc: $uscc})
MATCH p = (root)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN|SHAREHOLDER_OF|BRANCH_OF|REGISTERED_AT*1..3]-(m:Enterprise)
WHERE length(p) <= $hops AND m <> root
WITH p, m
MATCH (m)-[link:HAS_VIOLATION]->(v:Violation)
WHERE v.status = '有效'
WITH v, link, p
ORDER BY length(p), [n IN nodes(p) | coalesce(n.uscc, n.pid, n.aid)], [r IN relationships(p) | type(r)]
WITH v, link, collect(p) AS paths
WITH v, link, paths[0] AS path, length(paths[0]) AS hops,
     [x IN paths WHERE length(x) = length(paths[0]) | type(relationships(x)[0])] AS via
ORDER BY hops, v.date IS NULL, v.date DESC, v.vid
WITH collect({node: v, path: path, link: link, hops: hops, via: via}) AS found
RETURN size(found) AS total, found[0..$limit] AS items,
       {
         LEGAL_REP_OF: size([f IN found WHERE 'LEGAL_REP_OF' IN f.via]),
         HOLDS_POSITION: size([f IN found WHERE 'HOLDS_POSITION' IN f.via]),
         INVESTS_IN: size([f IN found WHERE 'INVESTS_IN' IN f.via]),
         SHAREHOLDER_OF: size([f IN found WHERE 'SHAREHOLDER_OF' IN f.via]),
         BRANCH_OF: size([f IN found WHERE 'BRANCH_OF' IN f.via]),
         REGISTERED_AT: size([f IN found WHERE 'REGISTERED_AT' IN f.via])
       } AS by_relation
