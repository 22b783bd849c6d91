// One saved screen by id
// :params {sid: "S-0a1b2c3d4e5f"}
MATCH (s:Screen {sid: $sid})
RETURN s.sid AS sid, s.name AS name, s.definition AS definition, s.owner AS owner,
       s.created_by AS created_by, s.created_at AS created_at
