// Saved screens of one owner (all owners when $owner is null), newest first
// :params {owner: "0a1b2c3d4e", skip: 0, limit: 51}
MATCH (s:Screen)
WHERE $owner IS NULL OR s.owner = $owner
RETURN s.sid AS sid, s.name AS name, s.definition AS definition, s.owner AS owner,
       s.created_by AS created_by, s.created_at AS created_at
ORDER BY s.created_at DESC, s.sid
SKIP $skip
LIMIT $limit
