// Search: persons whose name starts with $text, sought as the index range up to $upper (any $limit of them), with the number of firms each is linked to
// :params {text: "张", upper: "弡", limit: 20}
// FalkorDB only: it plans STARTS WITH as a scan of every person; graph/search_index.py reads this
// after checking the dialect, with $upper from prefix_upper (the range is exact only for some texts).
MATCH (p:Person)
WHERE p.name >= $text AND p.name < $upper AND p.name STARTS WITH $text
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
