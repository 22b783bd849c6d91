// Credit repair: record an application and link it to its firm and the violations it asks to repair
// :params {rid: "CR-20260701-3f2a9c1d", uscc: "91110108123456788E", vids: ["a1b2"], reason: "已缴清罚款并整改", applicant: "investigator:0a1b2c3d4e", now: "2026-07-01T09:30:00Z", month: "2026-07", status: "submitted", class_before: "C"}
MATCH (e:Enterprise {uscc: $uscc})
CREATE (e)-[:HAS_REPAIR]->(r:RepairApplication {rid: $rid, uscc: $uscc, status: $status,
                                                violations: $vids, reason: $reason,
                                                applicant: $applicant, applied_at: $now,
                                                applied_month: $month})
SET r.class_at_application = $class_before
WITH r, e
UNWIND $vids AS vid
MATCH (e)-[:HAS_VIOLATION]->(v:Violation {vid: vid})
MERGE (r)-[:REPAIRS]->(v)
RETURN r.rid AS rid, count(v) AS linked
