// Search: enterprises named exactly $text, as search hits
// :params {text: "示例科技有限公司", limit: 20}
MATCH (e:Enterprise {name: $text})
WITH e LIMIT $limit
RETURN e.uscc AS key, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS score, e.region_code AS region, e.status AS status
