// The violation records with these keys: kind, date, status
// :params {keys: ["V0001"]}
UNWIND $keys AS key
MATCH (v:Violation {vid: key})
RETURN v.vid AS key, v.kind AS kind, toString(v.date) AS date, v.status AS status
