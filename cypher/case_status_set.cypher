// Record a case's new status (derived from its alerts) and log the change in its history
// :params {id: "CASE-3f9a1c0b7e21", status: "dismissed", from_status: "open", to_status: "dismissed", alerts: 9, open_alerts: 0, note: "registered agent", actor: "analyst:3f9a1c0b7e", now: "2026-07-01T09:30:00Z"}
MATCH (c:Case {id: $id})
SET c.status = $status, c.open_alerts = $open_alerts, c.status_changed_at = $now,
    c.events = coalesce(c.events, 0) + 1
CREATE (c)-[:HAS_EVENT]->(ev:CaseEvent {seq: c.events, at: $now, kind: 'status', actor: $actor,
                                        note: $note, from_status: $from_status,
                                        to_status: $to_status, alerts: $alerts})
RETURN properties(c) AS props
