// Link shareholders recorded without a subscribed amount (SHAREHOLDER_OF)
// :params {run_id: "r1", rows: [{pid: "smesd:P0001", uscc: "C0001"}]}
UNWIND $rows AS row
MATCH (p:Person {pid: row.pid})
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (p)-[r:SHAREHOLDER_OF]->(e)
SET r.lastupdated = $run_id, p.lastupdated = $run_id
