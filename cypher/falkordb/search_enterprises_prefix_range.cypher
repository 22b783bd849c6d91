// Search: enterprises whose name starts with $text, sought as the index range up to $upper (any $limit of them; the caller orders), as search hits
// :params {text: "示例", upper: "示侌", limit: 20}
// FalkorDB only: it plans STARTS WITH as a scan of every enterprise; graph/search_index.py reads this
// after checking the dialect, with $upper from prefix_upper (the range is exact only for some texts).
MATCH (e:Enterprise)
WHERE e.name >= $text AND e.name < $upper AND e.name STARTS WITH $text
WITH e LIMIT $limit
RETURN e.uscc AS key, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS score, e.region_code AS region, e.status AS status
