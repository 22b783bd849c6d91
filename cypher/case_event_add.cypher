// Append one event to each case's history (rebuild merges and splits, notes)
// :params {now: "2026-06-30T08:00:00Z", rows: [{id: "CASE-3f9a1c0b7e21", kind: "split", actor: null, note: null, other: "CASE-77aa01c2d3e4"}]}
UNWIND $rows AS row
MATCH (c:Case {id: row.id})
SET c.events = coalesce(c.events, 0) + 1
CREATE (c)-[:HAS_EVENT]->(ev:CaseEvent {seq: c.events, at: $now, kind: row.kind,
                                        actor: row.actor, note: row.note, other: row.other})
RETURN count(ev) AS added
