// Upsert violations and attach them to their enterprise
// :params {run_id: "r1", rows: [{vid: "a1b2", uscc: "91110108123456788E", props: {kind: "行政处罚", case_no: "成武市监罚〔2023〕12号", status: "有效"}, date: "2023-04-01", removed_on: null}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (v:Violation {vid: row.vid})
SET v += row.props, v.date = date(row.date), v.removed_on = date(row.removed_on),
    v.lastupdated = $run_id
MERGE (e)-[:HAS_VIOLATION]->(v)
