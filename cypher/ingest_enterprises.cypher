// Upsert enterprises and re-point each to its registered address
// :params {run_id: "r1", rows: [{uscc: "91110108123456788E", props: {name: "示例科技有限公司", status: "存续"}, established: "2015-03-02", aid: "3f2a", address: "四川省成都市武侯区科华北路1号", region_code: "510107"}]}
UNWIND $rows AS row
MERGE (e:Enterprise {uscc: row.uscc})
SET e += row.props, e.established = date(row.established), e.lastupdated = $run_id
WITH e, row
OPTIONAL MATCH (e)-[old:REGISTERED_AT]->(previous:Address)
WHERE row.aid IS NULL OR previous.aid <> row.aid
DELETE old
WITH DISTINCT e, row
WHERE row.aid IS NOT NULL
MERGE (a:Address {aid: row.aid})
SET a.address = row.address, a.region_code = row.region_code, a.lastupdated = $run_id
MERGE (e)-[:REGISTERED_AT]->(a)
