// Create enterprise shareholdings (first load into an empty graph)
// :params {run_id: "r1", rows: [{investor: "91440101MA5CJQ4N59", investee: "91110108123456788E", props: {ratio: 0.4, amount: 400.0}, since: "2016-01-01"}]}
UNWIND $rows AS row
MATCH (i:Enterprise {uscc: row.investor})
MATCH (e:Enterprise {uscc: row.investee})
CREATE (i)-[r:INVESTS_IN]->(e)
SET r += row.props, r.since = date(row.since), r.lastupdated = $run_id
