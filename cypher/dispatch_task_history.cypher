// A dispatch task's status changes, oldest first
// :params {tid: "DB-20260701-0a1b2c3d-00001"}
MATCH (t:DispatchTask {tid: $tid})-[:HAS_EVENT]->(ev:TaskEvent)
RETURN ev.seq AS seq, ev.at AS at, ev.from_status AS from_status, ev.to_status AS to_status,
       ev.note AS note, ev.actor AS actor
ORDER BY seq
