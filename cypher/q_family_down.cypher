// Family tree (族谱): investment paths down from the root enterprise, each with the root's cumulative share
// :params {uscc: "91110108123456788E", down: 3, limit: 5000}
MATCH (root:Enterprise {uscc: $uscc})
MATCH p = (root)-[:INVESTS_IN*1..6]->(:Enterprise)
WHERE length(p) <= $down AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
RETURN nodes(p) AS nodes, relationships(p) AS rels,
       reduce(share = 1.0, r IN relationships(p) | share * r.ratio) AS share
LIMIT $limit
