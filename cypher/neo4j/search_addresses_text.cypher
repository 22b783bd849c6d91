// Search: addresses that contain $lowered, found through the cjk full-text index, with the number of firms registered at each
// :params {query: "\"科华北路\"", lowered: "科华北路", scan: 200, limit: 60}
CALL db.index.fulltext.queryNodes('address_text', $query, {limit: $scan}) YIELD node
WITH node AS a
WHERE toLower(a.address) CONTAINS $lowered
WITH a LIMIT $limit
OPTIONAL MATCH (e:Enterprise)-[:REGISTERED_AT]->(a)
RETURN a.aid AS key, a.address AS name, a.region_code AS region, count(e) AS firms
