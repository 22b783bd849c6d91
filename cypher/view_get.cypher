// One saved view by id, with its state (not its picture)
// :params {vid: "V-0a1b2c3d4e5f"}
MATCH (v:SavedView {vid: $vid})
RETURN v.vid AS vid, v.title AS title, v.owner AS owner, v.owner_role AS owner_role,
       v.created_by AS created_by, v.created_at AS created_at, v.updated_at AS updated_at,
       v.node_count AS node_count, v.shared_users AS shared_users,
       v.shared_roles AS shared_roles, v.picture IS NOT NULL AS has_picture,
       v.state AS state
