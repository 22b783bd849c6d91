// Family tree (族谱): the root enterprise with its branches and its head office (BRANCH_OF, both directions)
// :params {uscc: "91110108123456788E"}
MATCH (root:Enterprise {uscc: $uscc})
OPTIONAL MATCH (root)-[r:BRANCH_OF]-(other:Enterprise)
RETURN root, collect(r) AS rels, collect(other) AS others
