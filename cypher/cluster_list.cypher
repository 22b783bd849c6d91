// Risk clusters ranked by C/D members, then risk mass, then size
// :params {min_size: 2, limit: 50}
MATCH (c:RiskCluster)
WHERE c.size >= $min_size
RETURN c.cid AS cid, c.size AS size, c.cd_count AS cd_count, c.risk_mass AS risk_mass,
       c.reasons AS reasons, c.reason_counts AS reason_counts, c.split_level AS split_level,
       c.oversize AS oversize, c.built_at AS built_at
ORDER BY cd_count DESC, risk_mass DESC, size DESC, cid
LIMIT $limit
