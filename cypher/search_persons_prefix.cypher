// Search: persons whose name starts with $text (any $limit of them) with the number of firms each is linked to
// :params {text: "张", limit: 20}
MATCH (p:Person)
WHERE p.name STARTS WITH $text
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
