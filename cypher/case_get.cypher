// One case with its properties
// :params {id: "CASE-3f9a1c0b7e21"}
MATCH (c:Case {id: $id})
RETURN properties(c) AS props
