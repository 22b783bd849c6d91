// Search: persons whose name starts with $text, among the first $scan names the full-text index of name bigrams finds for it, with the number of firms each is linked to
// :params {query: "张j ja", text: "张Ja", scan: 2000, limit: 20}
// FalkorDB only: for a text its string index cannot range over (Latin letters); graph/search_index.py
// reads this after checking the dialect. Every name that starts with the text contains it.
CALL db.idx.fulltext.queryNodes('Person', $query) YIELD node
WITH node AS p
LIMIT $scan
WITH p
WHERE p.name STARTS WITH $text
WITH p LIMIT $limit
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN p.pid AS key, p.name AS name, count(DISTINCT e) AS firms
