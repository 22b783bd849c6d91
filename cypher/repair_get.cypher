// Credit repair: one application with its firm's name and current class, and its violations
// :params {rid: "CR-20260701-3f2a9c1d"}
MATCH (e:Enterprise)-[:HAS_REPAIR]->(r:RepairApplication {rid: $rid})
OPTIONAL MATCH (r)-[:REPAIRS]->(v:Violation)
WITH e, r, v
ORDER BY v.date, v.vid
RETURN properties(r) AS repair, e.name AS name, coalesce(e.risk_class, e.label_class) AS class,
       collect(CASE WHEN v IS NULL THEN NULL ELSE {vid: v.vid, case_no: v.case_no, kind: v.kind,
                                                   date: v.date, status: v.status,
                                                   removed_on: v.removed_on} END) AS violations
