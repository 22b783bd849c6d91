// Link person shareholders to the enterprises they invest in
// :params {run_id: "r1", rows: [{investor: "9c1e…", investee: "91110108123456788E", props: {ratio: 0.6, amount: 600.0}, since: "2015-03-02"}]}
UNWIND $rows AS row
MATCH (i:Person {pid: row.investor})
MATCH (e:Enterprise {uscc: row.investee})
MERGE (i)-[r:INVESTS_IN]->(e)
SET r += row.props, r.since = date(row.since), r.lastupdated = $run_id
