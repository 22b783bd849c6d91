// Create violations on their enterprise (first load into an empty graph)
// :params {run_id: "r1", rows: [{vid: "a1b2", uscc: "91110108123456788E", props: {kind: "行政处罚", case_no: "成武市监罚〔2023〕12号", status: "有效"}, date: "2023-04-01", removed_on: null}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
CREATE (e)-[:HAS_VIOLATION]->(v:Violation {vid: row.vid})
SET v += row.props, v.date = date(row.date), v.removed_on = date(row.removed_on),
    v.lastupdated = $run_id
