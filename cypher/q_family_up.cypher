// Family tree (族谱): shareholder paths up the INVESTS_IN chain (股权穿透), each with its cumulative share
// :params {uscc: "91110108123456788E", up: 3, limit: 5000}
MATCH (root:Enterprise {uscc: $uscc})
MATCH p = (top)-[:INVESTS_IN*1..6]->(root)
WHERE length(p) <= $up AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
WITH p, top, size([(top)<-[:INVESTS_IN]-(investor) | investor]) AS investors
RETURN nodes(p) AS nodes, relationships(p) AS rels,
       reduce(share = 1.0, r IN relationships(p) | share * r.ratio) AS share,
       investors = 0 AS ultimate
LIMIT $limit
