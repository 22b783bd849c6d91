// Close active list entries with the reason, the rule that closed them, who and when (entries are never deleted)
// (the SET/REMOVE locks the node first: Neo4j reads the status unlocked, so two sessions could both pass)
// :params {rows: [{eid: "3f2a9c1d0b7e4a61", rule: "class_c_or_d", reason: "class C or D", evidence: ["class:C"]}], actor: "system", now: "2026-07-01T09:30:00Z", today: "2026-07-01"}
UNWIND $rows AS row
MATCH (le:ListEntry {eid: row.eid})
SET le._lock = true
REMOVE le._lock
WITH row, le
WHERE le.status = 'active'
SET le.status = 'exited', le.exit_rule = row.rule, le.exit_reason = row.reason,
    le.exit_evidence = row.evidence, le.exited_by = $actor, le.exited_at = $now,
    le.exited_on = $today
RETURN le.eid AS eid
