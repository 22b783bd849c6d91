// Change a saved view's title and state (null keeps the stored one)
// :params {vid: "V-0a1b2c3d4e5f", title: null, state: "{\"nodes\":[]}", node_count: 0, now: "2026-06-30T09:00:00Z"}
MATCH (v:SavedView {vid: $vid})
SET v.title = coalesce($title, v.title), v.state = coalesce($state, v.state),
    v.node_count = coalesce($node_count, v.node_count), v.updated_at = $now
RETURN v.vid AS vid
