// Risk cluster constraint: the stable cluster id is unique
// :params {}
CREATE CONSTRAINT risk_cluster_cid IF NOT EXISTS FOR (c:RiskCluster) REQUIRE c.cid IS UNIQUE;
