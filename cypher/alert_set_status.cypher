// Change an alert's case status (only if still in the status read before) and log the change
// (the SET/REMOVE locks the node first: Neo4j reads the status unlocked, so two sessions could both pass)
// :params {key: "R02|91110108123456788E", from_status: "open", to_status: "dismissed", note: "registered agent, checked on site", actor: "inspector-07", now: "2026-07-01T09:30:00Z"}
MATCH (a:Alert {key: $key})
SET a._lock = true
REMOVE a._lock
WITH a
WHERE a.status = $from_status
SET a.status = $to_status, a.note = $note, a.status_changed_at = $now,
    a.status_changed_by = $actor, a.events = coalesce(a.events, 0) + 1
CREATE (a)-[:HAS_EVENT]->(ev:AlertEvent {seq: a.events, at: $now, from_status: $from_status,
                                          to_status: $to_status, note: $note, actor: $actor})
RETURN a.key AS key, a.status AS status
