// Names of the persons a saved view shows, by pid
// :params {keys: ["9c1e0a1b2c3d4e5f9c1e0a1b2c3d4e5f"]}
UNWIND $keys AS key
MATCH (p:Person {pid: key})
RETURN p.pid AS key, p.name AS name
