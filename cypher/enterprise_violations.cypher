// Violation records of one enterprise, newest first
// :params {uscc: "91110108123456788E", limit: 500}
MATCH (e:Enterprise {uscc: $uscc})-[:HAS_VIOLATION]->(v:Violation)
RETURN v
ORDER BY v.date DESC, v.vid
LIMIT $limit
