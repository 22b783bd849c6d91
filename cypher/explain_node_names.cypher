// Explanations: the names of the named neighbours (enterprise names, person names, address texts)
// :params {enterprises: ["91110108123456788E"], persons: ["9c1e0000000000000000000000000000"], addresses: ["3f2a"]}
UNWIND $enterprises AS key
MATCH (e:Enterprise {uscc: key})
RETURN 'enterprise' AS type, key, e.name AS name
UNION ALL
UNWIND $persons AS key
MATCH (p:Person {pid: key})
RETURN 'person' AS type, key, p.name AS name
UNION ALL
UNWIND $addresses AS key
MATCH (a:Address {aid: key})
RETURN 'address' AS type, key, a.address AS name
