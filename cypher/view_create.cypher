// Store a new saved view (its state as canonical JSON) for its owner
// :params {vid: "V-0a1b2c3d4e5f", title: "张三丰关联企业", state: "{\"nodes\":[]}", node_count: 0, owner: "0a1b2c3d4e", owner_role: "analyst", created_by: "analyst:0a1b2c3d4e", now: "2026-06-30T08:00:00Z"}
CREATE (v:SavedView {vid: $vid})
SET v.title = $title, v.state = $state, v.node_count = $node_count, v.owner = $owner,
    v.owner_role = $owner_role, v.created_by = $created_by, v.created_at = $now,
    v.updated_at = $now, v.shared_users = [], v.shared_roles = []
RETURN v.vid AS vid, v.title AS title, v.owner AS owner, v.owner_role AS owner_role,
       v.created_by AS created_by, v.created_at AS created_at, v.updated_at AS updated_at,
       v.node_count AS node_count, v.shared_users AS shared_users,
       v.shared_roles AS shared_roles, v.picture IS NOT NULL AS has_picture
