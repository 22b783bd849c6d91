// Create persons by pseudonymous key (first load into an empty graph)
// :params {run_id: "r1", rows: [{pid: "9c1e…", props: {name: "张三"}}]}
UNWIND $rows AS row
CREATE (p:Person {pid: row.pid})
SET p += row.props, p.lastupdated = $run_id
