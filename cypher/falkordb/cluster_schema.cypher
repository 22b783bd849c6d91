// Risk cluster index: the stable cluster id
// :params {}
CREATE INDEX FOR (c:RiskCluster) ON (c.cid);
