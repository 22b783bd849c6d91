// Saved views a caller may open: their own, shared with them by key or by role (every view when $owner is null), newest change first
// :params {owner: "0a1b2c3d4e", role: "analyst", skip: 0, limit: 51}
MATCH (v:SavedView)
WHERE $owner IS NULL OR v.owner = $owner OR $owner IN v.shared_users
   OR $role IN v.shared_roles
OPTIONAL MATCH (v)-[:HAS_NOTE]->(n:ViewNote)
WITH v, count(n) AS note_count
RETURN v.vid AS vid, v.title AS title, v.owner AS owner, v.owner_role AS owner_role,
       v.created_by AS created_by, v.created_at AS created_at, v.updated_at AS updated_at,
       v.node_count AS node_count, v.shared_users AS shared_users,
       v.shared_roles AS shared_roles, v.picture IS NOT NULL AS has_picture,
       note_count
ORDER BY updated_at DESC, vid
SKIP $skip
LIMIT $limit
