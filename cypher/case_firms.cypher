// The firms with these keys: name, class (the model's, else the supervisor's), score, region, risk cluster
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS uscc, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_class IS NOT NULL AS scored, e.risk_score AS risk_score,
       e.region_code AS region_code,
       [(e)-[:IN_CLUSTER]->(c:RiskCluster) | c.cid] AS clusters
