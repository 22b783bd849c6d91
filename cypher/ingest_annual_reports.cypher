// Upsert annual reports (企业年度报告); filed_on null means not filed (未报)
// :params {run_id: "r1", rows: [{rid: "91110108123456788E|2025", uscc: "91110108123456788E", props: {year: 2025, employees: 12.0, revenue: 350.0, total_assets: 800.0}, filed_on: "2026-04-20"}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (r:AnnualReport {rid: row.rid})
SET r += row.props, r.filed_on = date(row.filed_on), r.lastupdated = $run_id
MERGE (e)-[:HAS_ANNUAL_REPORT]->(r)
