// The notes of a saved view, in the order they were written
// :params {vid: "V-0a1b2c3d4e5f", limit: 501}
MATCH (:SavedView {vid: $vid})-[:HAS_NOTE]->(n:ViewNote)
RETURN n.nid AS nid, n.target AS target, n.text AS text, n.author AS author,
       n.created_at AS created_at
ORDER BY n.seq, n.nid
LIMIT $limit
