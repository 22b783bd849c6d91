// The persons with these keys and their names (masked by the API for roles that may not see them)
// :params {keys: ["9c1e…"]}
UNWIND $keys AS key
MATCH (p:Person {pid: key})
RETURN p.pid AS key, p.name AS name
