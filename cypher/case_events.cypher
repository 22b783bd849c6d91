// A case's history (assignments, status changes, merges and splits), oldest first
// :params {id: "CASE-3f9a1c0b7e21"}
MATCH (c:Case {id: $id})-[:HAS_EVENT]->(ev:CaseEvent)
RETURN ev.at AS at, ev.seq AS seq, ev.kind AS kind, ev.actor AS actor, ev.note AS note,
       ev.from_status AS from_status, ev.to_status AS to_status, ev.assignee AS assignee,
       ev.other AS other, ev.alerts AS alerts, ev.moved_from AS moved_from
ORDER BY at, seq
