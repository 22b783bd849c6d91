// Add a note to a saved view, on one of its nodes or links
// :params {vid: "V-0a1b2c3d4e5f", nid: "N-0a1b2c3d4e5f", target: "{\"node\":\"91110108123456788E\"}", text: "法定代表人相同", author: "analyst:0a1b2c3d4e", seq: 1782806400000000000, now: "2026-06-30T09:00:00Z"}
MATCH (v:SavedView {vid: $vid})
CREATE (v)-[:HAS_NOTE]->(n:ViewNote {nid: $nid})
SET n.target = $target, n.text = $text, n.author = $author, n.created_at = $now,
    n.seq = $seq
RETURN n.nid AS nid, n.target AS target, n.text AS text, n.author AS author,
       n.created_at AS created_at
