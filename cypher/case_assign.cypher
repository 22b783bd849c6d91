// Assign a case (null: unassign) and log it in the case's history
// :params {id: "CASE-3f9a1c0b7e21", assignee: "张警官", note: null, actor: "analyst:3f9a1c0b7e", now: "2026-07-01T09:30:00Z"}
MATCH (c:Case {id: $id})
SET c.assignee = $assignee, c.assigned_at = $now, c.assigned_by = $actor,
    c.events = coalesce(c.events, 0) + 1
CREATE (c)-[:HAS_EVENT]->(ev:CaseEvent {seq: c.events, at: $now, kind: 'assign', actor: $actor,
                                        note: $note, assignee: $assignee})
RETURN properties(c) AS props
