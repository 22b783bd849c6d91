// Record failed inspections as violations (抽查检查不合格) linked to the enterprise and the record
// :params {kind: "抽查检查不合格", status: "有效", now: "2026-07-01T09:00:00Z", rows: [{rid: "c0ffee", vid: "a1b2", uscc: "91110108123456788E", date: "2026-07-01", case_no: "成武市监抽〔2026〕1号", authority: "成都市武侯区市场监督管理局"}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})-[:HAS_INSPECTION]->(r:InspectionRecord {rid: row.rid})
MERGE (v:Violation {vid: row.vid})
SET v.kind = $kind, v.case_no = row.case_no, v.authority = row.authority,
    v.status = $status, v.date = date(row.date), v.lastupdated = $now
MERGE (e)-[:HAS_VIOLATION]->(v)
MERGE (r)-[:FOUND]->(v)
RETURN count(v) AS violations
