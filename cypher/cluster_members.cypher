// The members of one risk cluster with their class and score
// :params {cid: "RC-91110108123456788E"}
MATCH (e:Enterprise)-[:IN_CLUSTER]->(c:RiskCluster {cid: $cid})
RETURN e.uscc AS uscc, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       e.risk_score AS risk_score
ORDER BY uscc
