// Search: enterprises whose name starts with $text (any $limit of them; the caller orders), as search hits
// :params {text: "示例", limit: 20}
MATCH (e:Enterprise)
WHERE e.name STARTS WITH $text
WITH e LIMIT $limit
RETURN e.uscc AS key, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS score, e.region_code AS region, e.status AS status
