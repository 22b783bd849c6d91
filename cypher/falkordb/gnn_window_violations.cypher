// Risk model export: the violations (违法违规记录) of one window of enterprises
// :params {after: -1, until: 20000}
// FalkorDB only: internal-id windows and packed replies for the risk model export (gnn/falkordb_export.py)
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE id(e) > $after AND id(e) <= $until
RETURN e.uscc AS key, v.vid AS vid, v.kind AS kind, v.date AS date, v.status AS status,
       v.removed_on AS removed_on, v.cause_type AS cause_type, v.court_level AS court_level,
       v.result AS result, v.months_before_observation AS months_before_observation
