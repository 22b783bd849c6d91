// Monthly re-classification: append the change feed's records (one per enterprise whose class changed or that is new)
// :params {month: "2026-06", rows: [{uscc: "91110108123456788E", previous: "B", current: "C", risk_score: 0.41, region_code: "510107", industry_section: "I", kind: "enterprise"}]}
UNWIND $rows AS row
CREATE (c:ClassChange {month: $month})
SET c += row
RETURN count(c) AS written
