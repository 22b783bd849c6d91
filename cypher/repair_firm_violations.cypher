// Credit repair: one firm's violations with their status, and the pending applications that claim them
// :params {uscc: "91110108123456788E", pending: ["submitted", "reviewed"]}
MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (e)-[:HAS_VIOLATION]->(v:Violation)
WITH e, v
ORDER BY v.date, v.vid
WITH e, collect(CASE WHEN v IS NULL THEN NULL ELSE {vid: v.vid, case_no: v.case_no, kind: v.kind,
                                                   date: v.date, status: v.status} END) AS violations
OPTIONAL MATCH (e)-[:HAS_REPAIR]->(r:RepairApplication)
WHERE r.status IN $pending
RETURN e.name AS name, coalesce(e.risk_class, e.label_class) AS class, violations,
       collect(r.violations) AS claimed
