// Monthly re-classification: store class counts per region, industry section and entity kind
// :params {month: "2026-06", rows: [{dimension: "city", value: "5101", kind: "all", A: 10, B: 5, C: 2, D: 1, total: 18}]}
UNWIND $rows AS row
CREATE (s:ClassShare {month: $month})
SET s += row
RETURN count(s) AS written
