// Delete the history left on cases that the latest build did not produce
// :params {build: "b1"}
MATCH (c:Case)-[:HAS_EVENT]->(ev:CaseEvent)
WHERE c.build <> $build
DETACH DELETE ev
RETURN count(ev) AS deleted
