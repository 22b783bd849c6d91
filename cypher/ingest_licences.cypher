// Upsert administrative licences (行政许可证照) and attach them to their holder
// :params {run_id: "r1", rows: [{lid: "c0ffee", uscc: "91110108123456788E", props: {licence_no: "JY15101070012345", licence_kind: "食品经营许可证", holder_name: "示例科技有限公司", address: "四川省成都市武侯区科华北路1号", aid: "3f2a", region_code: "510107", authority: "成都市武侯区市场监督管理局"}, issued: "2022-03-01", valid_until: "2027-02-28"}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (l:Licence {lid: row.lid})
SET l += row.props, l.issued = date(row.issued), l.valid_until = date(row.valid_until),
    l.lastupdated = $run_id
MERGE (e)-[:HAS_LICENCE]->(l)
