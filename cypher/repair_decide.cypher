// Credit repair: record the decision on an application still in the status read before; an approval marks its violations repaired
// (the SET/REMOVE locks the node first: Neo4j reads the status unlocked, so two sessions could both pass)
// :params {rid: "CR-20260701-3f2a9c1d", from_status: "reviewed", to_status: "approved", approve: true, reasons: "符合修复条件", decider: "analyst:5f6a7b8c9d", now: "2026-07-03T11:00:00Z", today: "2026-07-03", month: "2026-07", repaired: "已修复", class_before: "C"}
MATCH (r:RepairApplication {rid: $rid})
SET r._lock = true
REMOVE r._lock
WITH r
WHERE r.status = $from_status
SET r.status = $to_status, r.decision_reasons = $reasons, r.decider = $decider,
    r.decided_at = $now, r.decided_month = $month, r.class_before = $class_before
WITH r
OPTIONAL MATCH (r)-[:REPAIRS]->(v:Violation)
WITH r, collect(v) AS found
FOREACH (v IN CASE WHEN $approve THEN found ELSE [] END |
  SET v.status = $repaired, v.removed_on = date($today), v.repaired_by = r.rid)
RETURN r.rid AS rid, CASE WHEN $approve THEN size(found) ELSE 0 END AS repaired
