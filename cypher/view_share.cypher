// Set who a saved view is shared with: keys by id, and roles
// :params {vid: "V-0a1b2c3d4e5f", users: ["1a2b3c4d5e"], roles: ["investigator"], now: "2026-06-30T09:00:00Z"}
MATCH (v:SavedView {vid: $vid})
SET v.shared_users = $users, v.shared_roles = $roles, v.updated_at = $now
RETURN v.vid AS vid
