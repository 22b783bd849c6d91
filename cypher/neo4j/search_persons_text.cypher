// Search: persons whose name contains $lowered, found through the cjk full-text index, with their number of firms
// :params {query: "\"三丰\"", lowered: "三丰", scan: 200, limit: 60}
CALL db.index.fulltext.queryNodes('person_name_text', $query, {limit: $scan}) YIELD node
WITH node AS p
WHERE toLower(p.name) CONTAINS $lowered
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
