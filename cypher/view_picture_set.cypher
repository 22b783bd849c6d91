// Keep the picture of a saved view (a PNG as base64; null removes it)
// :params {vid: "V-0a1b2c3d4e5f", picture: "iVBORw0KGgo=", now: "2026-06-30T09:00:00Z"}
MATCH (v:SavedView {vid: $vid})
SET v.picture = $picture, v.updated_at = $now
RETURN v.vid AS vid
