// Point alerts at their case
// :params {rows: [{key: "R02|91110108123456788E", case_id: "CASE-3f9a1c0b7e21"}]}
UNWIND $rows AS row
MATCH (a:Alert {key: row.key})
SET a.case_id = row.case_id
RETURN count(a) AS linked
