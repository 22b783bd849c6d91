// Delete one note of a saved view
// :params {vid: "V-0a1b2c3d4e5f", nid: "N-0a1b2c3d4e5f"}
MATCH (:SavedView {vid: $vid})-[:HAS_NOTE]->(n:ViewNote {nid: $nid})
DETACH DELETE n
RETURN count(*) AS deleted
