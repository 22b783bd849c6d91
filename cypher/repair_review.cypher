// Credit repair: record the review of an application still in the status read before
// (the SET/REMOVE locks the node first: Neo4j reads the status unlocked, so two sessions could both pass)
// :params {rid: "CR-20260701-3f2a9c1d", from_status: "submitted", to_status: "reviewed", opinion: "材料齐全，建议修复", reviewer: "investigator:0a1b2c3d4e", now: "2026-07-02T10:00:00Z"}
MATCH (r:RepairApplication {rid: $rid})
SET r._lock = true
REMOVE r._lock
WITH r
WHERE r.status = $from_status
SET r.status = $to_status, r.review_opinion = $opinion, r.reviewer = $reviewer,
    r.reviewed_at = $now
RETURN r.rid AS rid
