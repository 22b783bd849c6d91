// Create branch links to parent enterprises (first load into an empty graph)
// :params {run_id: "r1", rows: [{branch: "91510107MA61XXXX1A", parent: "91110108123456788E", since: "2019-05-01"}]}
UNWIND $rows AS row
MATCH (b:Enterprise {uscc: row.branch})
MATCH (p:Enterprise {uscc: row.parent})
CREATE (b)-[r:BRANCH_OF]->(p)
SET r.since = date(row.since), r.lastupdated = $run_id
