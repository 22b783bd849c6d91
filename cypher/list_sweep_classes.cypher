// Sweep of the managed lists: the current class of each entry's firm (the model's, else the supervisor's label)
// :params {rows: [{eid: "3f2a9c1d0b7e4a61", uscc: "91110108123456788E"}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
RETURN row.eid AS eid, coalesce(e.risk_class, e.label_class) AS class
