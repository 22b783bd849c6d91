// Delete up to a limit of cluster memberships left from earlier builds
// :params {build: "b1", limit: 10000}
MATCH (:Enterprise)-[m:IN_CLUSTER]->(:RiskCluster)
WHERE m.build <> $build
WITH m
LIMIT $limit
DELETE m
RETURN count(*) AS deleted
