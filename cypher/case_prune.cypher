// Delete the cases that the latest build did not produce (their history goes first: case_prune_events)
// :params {build: "b1"}
MATCH (c:Case)
WHERE c.build <> $build
DETACH DELETE c
RETURN count(c) AS deleted
