// Search: enterprises whose name contains $lowered (case-folded), found through the cjk full-text index
// :params {query: "\"德城澜\"", lowered: "德城澜", scan: 200, limit: 60}
CALL db.index.fulltext.queryNodes('enterprise_name_text', $query, {limit: $scan}) YIELD node
WITH node AS e
WHERE toLower(e.name) CONTAINS $lowered
WITH e LIMIT $limit
RETURN e.uscc AS key, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS score, e.region_code AS region, e.status AS status
