// The picture of a saved view (a PNG as base64, or null)
// :params {vid: "V-0a1b2c3d4e5f"}
MATCH (v:SavedView {vid: $vid})
RETURN v.picture AS picture
