// Store a saved screen (its definition as canonical JSON) for its owner
// :params {sid: "S-0a1b2c3d4e5f", name: "成都 有限公司", definition: "{\"all\":[]}", owner: "0a1b2c3d4e", created_by: "analyst:0a1b2c3d4e", created_at: "2026-06-30T08:00:00Z"}
MERGE (s:Screen {sid: $sid})
SET s.name = $name, s.definition = $definition, s.owner = $owner,
    s.created_by = $created_by, s.created_at = $created_at
RETURN s.sid AS sid, s.name AS name, s.definition AS definition, s.owner AS owner,
       s.created_by AS created_by, s.created_at AS created_at
