// Violation records of a saved view's enterprises for its case report, newest first
// :params {keys: ["91110108123456788E"], limit: 500}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})-[:HAS_VIOLATION]->(v:Violation)
RETURN e.uscc AS uscc, e.name AS firm, v.vid AS vid, v.kind AS kind, v.date AS date,
       v.authority AS authority, v.amount AS amount, v.status AS status
ORDER BY date DESC, vid
LIMIT $limit
