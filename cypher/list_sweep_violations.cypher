// Sweep of the managed lists: violations of the given kinds dated on or after each entry's day (up to today)
// :params {rows: [{eid: "3f2a9c1d0b7e4a61", uscc: "91110108123456788E", entered_on: "2026-01-05"}], kinds: ["经营异常名录"], today: "2026-07-01"}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})-[:HAS_VIOLATION]->(v:Violation)
WHERE v.kind IN $kinds AND v.date >= date(row.entered_on) AND v.date <= date($today)
RETURN row.eid AS eid, v.vid AS vid, v.kind AS kind, v.date AS date, v.amount AS amount,
       v.case_no AS case_no
ORDER BY eid, date, vid
