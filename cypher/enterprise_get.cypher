// One enterprise with its registered address
// :params {uscc: "91110108123456788E"}
MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (e)-[:REGISTERED_AT]->(a:Address)
RETURN e, a.address AS address
LIMIT 1
