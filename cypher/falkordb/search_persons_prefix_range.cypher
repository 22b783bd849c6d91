// Search: persons whose name starts with $text, sought as the index range $low to $high (any $limit of them), with the number of firms each is linked to
// :params {text: "张三", low: "张三", high: "张上", limit: 20}
// FalkorDB only: it plans STARTS WITH as a scan of every person; graph/search_index.py reads this
// after checking the dialect, with the bounds from prefix_range (a range holds all names only for some texts).
MATCH (p:Person)
WHERE p.name >= $low AND p.name < $high AND p.name STARTS WITH $text
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
