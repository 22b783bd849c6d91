// Risk model export: the violations (违法违规记录) of these enterprises
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})-[:HAS_VIOLATION]->(v:Violation)
RETURN key, v.vid AS vid, v.kind AS kind, v.date AS date, v.status AS status,
       v.removed_on AS removed_on, v.cause_type AS cause_type, v.court_level AS court_level,
       v.result AS result, v.months_before_observation AS months_before_observation
