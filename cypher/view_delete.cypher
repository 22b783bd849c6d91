// Delete a saved view and its notes
// :params {vid: "V-0a1b2c3d4e5f"}
MATCH (v:SavedView {vid: $vid})
OPTIONAL MATCH (v)-[:HAS_NOTE]->(n:ViewNote)
DETACH DELETE n, v
RETURN count(*) AS deleted
