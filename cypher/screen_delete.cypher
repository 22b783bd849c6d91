// Delete a saved screen by id
// :params {sid: "S-0a1b2c3d4e5f"}
MATCH (s:Screen {sid: $sid})
DELETE s
RETURN count(*) AS deleted
