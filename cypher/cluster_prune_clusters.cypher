// Delete up to a limit of risk clusters left from earlier builds
// :params {build: "b1", limit: 10000}
MATCH (c:RiskCluster)
WHERE c.build <> $build
WITH c
LIMIT $limit
DETACH DELETE c
RETURN count(*) AS deleted
