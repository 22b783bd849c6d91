// The risk cluster of each given enterprise (enterprises in no cluster are left out)
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})-[:IN_CLUSTER]->(c:RiskCluster)
RETURN key AS uscc, c.cid AS cid, c.size AS size
