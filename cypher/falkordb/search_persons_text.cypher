// Search: persons whose name contains $lowered, found through the full-text index of name bigrams, with their number of firms
// :params {query: "三丰", lowered: "三丰", scan: 200, limit: 60}
CALL db.idx.fulltext.queryNodes('Person', $query) YIELD node
WITH node AS p
WHERE toLower(p.name) CONTAINS $lowered
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
