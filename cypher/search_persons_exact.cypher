// Search: persons named exactly $text with the number of firms each is linked to
// :params {text: "张三", limit: 20}
MATCH (p:Person {name: $text})
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
