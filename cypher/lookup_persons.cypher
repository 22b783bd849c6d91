// Which of these person keys exist in the graph
// :params {keys: ["9c1e…"]}
UNWIND $keys AS key
MATCH (p:Person {pid: key})
RETURN p.pid AS key
