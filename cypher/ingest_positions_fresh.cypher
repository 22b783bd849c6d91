// Create officer relationships (董事, 监事, 经理…), one per role (first load into an empty graph)
// :params {run_id: "r1", rows: [{pid: "9c1e…", uscc: "91110108123456788E", role: "监事", since: "2015-03-02", until: null}]}
UNWIND $rows AS row
MATCH (p:Person {pid: row.pid})
MATCH (e:Enterprise {uscc: row.uscc})
CREATE (p)-[r:HOLDS_POSITION {role: row.role}]->(e)
SET r.since = date(row.since), r.until = date(row.until), r.lastupdated = $run_id
