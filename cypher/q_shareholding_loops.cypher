// Circular shareholding (循环持股): simple INVESTS_IN cycles among enterprises, each found once from its smallest key
// :params {max_length: 4, limit: 100}
MATCH p = (a:Enterprise)-[:INVESTS_IN*1..6]->(a)
WHERE length(p) <= $max_length
  AND all(n IN nodes(p) WHERE a.uscc <= n.uscc)
  AND all(n IN tail(nodes(p)) WHERE single(m IN tail(nodes(p)) WHERE m = n))
RETURN nodes(p) AS nodes, relationships(p) AS rels, a.uscc AS start, length(p) AS loop_length,
       [n IN nodes(p) | n.uscc] AS keys
ORDER BY start, loop_length, keys
LIMIT $limit
