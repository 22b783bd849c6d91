// Paths between two entities (查关系): all shortest paths up to max_hops through persons, investments, addresses and branches
// :params {source: "91110108123456788E", target: "91510107MA61XXXX1A", max_hops: 4, limit: 20}
// FalkorDB: algo.SPpaths takes the hop bound as a parameter and walks both directions.
OPTIONAL MATCH (se:Enterprise {uscc: $source})
OPTIONAL MATCH (sp:Person {pid: $source})
OPTIONAL MATCH (sa:Address {aid: $source})
OPTIONAL MATCH (te:Enterprise {uscc: $target})
OPTIONAL MATCH (tp:Person {pid: $target})
OPTIONAL MATCH (ta:Address {aid: $target})
WITH coalesce(se, sp, sa) AS source, coalesce(te, tp, ta) AS target
WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
CALL algo.SPpaths({
  sourceNode: source, targetNode: target,
  relTypes: ['LEGAL_REP_OF', 'HOLDS_POSITION', 'INVESTS_IN', 'SHAREHOLDER_OF', 'BRANCH_OF', 'REGISTERED_AT'],
  relDirection: 'both', maxLen: $max_hops, pathCount: 0
}) YIELD path
RETURN path
LIMIT $limit
