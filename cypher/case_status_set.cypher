// Record a case's new status, derived here from its alerts as they are now (the first of $precedence present, else $otherwise), and log the change in its history
// (the SET/REMOVE locks the case first, so two sessions changing it write in turn, each from the alerts' committed statuses)
// :params {id: "CASE-3f9a1c0b7e21", precedence: ["open", "in_progress", "confirmed"], otherwise: "dismissed", active: ["open", "in_progress"], from_status: "open", to_status: "dismissed", alerts: 9, note: "registered agent", actor: "analyst:3f9a1c0b7e", now: "2026-07-01T09:30:00Z"}
MATCH (c:Case {id: $id})
SET c._lock = true
REMOVE c._lock
WITH c
OPTIONAL MATCH (a:Alert {case_id: $id})
WITH c, collect(a.status) AS statuses
WITH c, statuses, [s IN $precedence WHERE s IN statuses] AS present
SET c.status = coalesce(head(present), $otherwise),
    c.open_alerts = size([s IN statuses WHERE s IN $active]),
    c.status_changed_at = $now,
    c.events = coalesce(c.events, 0) + 1
CREATE (c)-[:HAS_EVENT]->(ev:CaseEvent {seq: c.events, at: $now, kind: 'status', actor: $actor,
                                        note: $note, from_status: $from_status,
                                        to_status: $to_status, alerts: $alerts})
RETURN properties(c) AS props
