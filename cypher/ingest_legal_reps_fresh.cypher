// Create legal-representative (法定代表人) relationships (first load into an empty graph)
// :params {run_id: "r1", rows: [{pid: "9c1e…", uscc: "91110108123456788E", since: "2015-03-02", until: null}]}
UNWIND $rows AS row
MATCH (p:Person {pid: row.pid})
MATCH (e:Enterprise {uscc: row.uscc})
CREATE (p)-[r:LEGAL_REP_OF]->(e)
SET r.since = date(row.since), r.until = date(row.until), r.lastupdated = $run_id
