// Move a dispatch task to a status (only if still in the status read before) and log the change
// (the SET/REMOVE locks the node first: Neo4j reads the status unlocked, so two sessions could both pass)
// :params {tid: "DB-20260701-0a1b2c3d-00001", from_status: "待签收", to_status: "处理中", note: null, actor: "inspector:k2", now: "2026-07-02T10:00:00Z"}
MATCH (t:DispatchTask {tid: $tid})
SET t._lock = true
REMOVE t._lock
WITH t
WHERE t.status = $from_status
SET t.status = $to_status, t.note = $note, t.status_changed_at = $now,
    t.status_changed_by = $actor, t.events = coalesce(t.events, 0) + 1
CREATE (t)-[:HAS_EVENT]->(ev:TaskEvent {seq: t.events, at: $now, from_status: $from_status,
                                        to_status: $to_status, note: $note, actor: $actor})
RETURN t.tid AS tid, t.status AS status
