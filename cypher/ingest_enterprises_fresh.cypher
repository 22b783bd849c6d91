// Create enterprises and their registered addresses (first load into an empty graph)
// :params {run_id: "r1", rows: [{uscc: "91110108123456788E", props: {name: "示例科技有限公司", status: "存续"}, established: "2015-03-02", aid: "3f2a", address: "四川省成都市武侯区科华北路1号", region_code: "510107"}]}
UNWIND $rows AS row
CREATE (e:Enterprise {uscc: row.uscc})
SET e += row.props, e.established = date(row.established), e.lastupdated = $run_id
// FOREACH rather than WITH … WHERE: FalkorDB drops nodes created earlier in the
// query for rows a later WHERE filters out.
FOREACH (aid IN CASE WHEN row.aid IS NULL THEN [] ELSE [row.aid] END |
  MERGE (a:Address {aid: aid})
  SET a.address = row.address, a.region_code = row.region_code, a.lastupdated = $run_id
  CREATE (e)-[:REGISTERED_AT]->(a)
)
