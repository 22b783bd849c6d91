// Store inspection outcomes as InspectionRecords and mark the plan selection they answer
// :params {now: "2026-07-01T09:00:00Z", rows: [{rid: "c0ffee", uscc: "91110108123456788E", plan_id: "IP-2026-06-30-0a1b2c3d4e5f", date: "2026-07-01", result: "合格", case_no: null, authority: "成都市武侯区市场监督管理局", note: null}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (r:InspectionRecord {rid: row.rid})
SET r.uscc = row.uscc, r.plan_id = row.plan_id, r.date = date(row.date), r.result = row.result,
    r.case_no = row.case_no, r.authority = row.authority, r.note = row.note,
    r.recorded_at = $now
MERGE (e)-[:HAS_INSPECTION]->(r)
WITH e, r, row
OPTIONAL MATCH (e)-[s:SELECTED_FOR]->(:InspectionPlan {plan_id: row.plan_id})
FOREACH (sel IN CASE WHEN s IS NULL THEN [] ELSE [s] END |
  SET sel.result = row.result, sel.inspected_on = date(row.date))
RETURN row.uscc AS uscc
