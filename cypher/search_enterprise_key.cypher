// Search: the enterprise with this USCC, as a search hit
// :params {key: "91110108123456788E"}
MATCH (e:Enterprise {uscc: $key})
RETURN e.uscc AS key, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS score, e.region_code AS region, e.status AS status
