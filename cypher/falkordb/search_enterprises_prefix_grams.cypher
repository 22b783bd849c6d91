// Search: enterprises whose name starts with $text, among the first $scan names the full-text index of name bigrams finds for it (as search hits)
// :params {query: "成都 都t te ec ch", text: "成都Tech", scan: 2000, limit: 20}
// FalkorDB only: for a text its string index cannot range over (Latin letters); graph/search_index.py
// reads this after checking the dialect. Every name that starts with the text contains it.
CALL db.idx.fulltext.queryNodes('Enterprise', $query) YIELD node
WITH node AS e
LIMIT $scan
WITH e
WHERE e.name STARTS WITH $text
WITH e LIMIT $limit
RETURN e.uscc AS key, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS score, e.region_code AS region, e.status AS status
