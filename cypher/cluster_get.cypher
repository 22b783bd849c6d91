// one stored risk cluster
// :params {cid: "RC-91110108123456788E"}
MATCH (c:RiskCluster {cid: $cid})
RETURN c.cid AS cid, c.size AS size, c.cd_count AS cd_count, c.risk_mass AS risk_mass,
       c.reasons AS reasons, c.reason_counts AS reason_counts, c.split_level AS split_level,
       c.oversize AS oversize, c.built_at AS built_at
