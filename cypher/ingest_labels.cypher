// Store a supervisor's past risk class on the enterprise (training labels)
// :params {run_id: "r1", rows: [{uscc: "91110108123456788E", class: "B", as_of: "2025-12-31"}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
SET e.label_class = row.class, e.label_as_of = date(row.as_of), e.lastupdated = $run_id
