// Risk model export: the violations (违法违规记录) of one window of enterprises, column by column
// :params {after: -1, until: 20000}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
// One row: `violations` counts them; each field comes as the list of its non-null values (collect
// skips nulls) and `<name>_present`, one '1' or '0' per violation, says where they go. One row
// per violation took the client four times as long to decode.
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE id(e) > $after AND id(e) <= $until
RETURN count(v) AS violations,
       collect(e.uscc) AS key,
       string.join(collect(CASE WHEN e.uscc IS NULL THEN '0' ELSE '1' END), '') AS key_present,
       collect(v.vid) AS vid,
       string.join(collect(CASE WHEN v.vid IS NULL THEN '0' ELSE '1' END), '') AS vid_present,
       collect(v.kind) AS kind,
       string.join(collect(CASE WHEN v.kind IS NULL THEN '0' ELSE '1' END), '') AS kind_present,
       collect(v.date) AS date,
       string.join(collect(CASE WHEN v.date IS NULL THEN '0' ELSE '1' END), '') AS date_present,
       collect(v.status) AS status,
       string.join(collect(CASE WHEN v.status IS NULL THEN '0' ELSE '1' END), '') AS status_present,
       collect(v.removed_on) AS removed_on,
       string.join(collect(CASE WHEN v.removed_on IS NULL THEN '0' ELSE '1' END), '') AS removed_on_present,
       collect(v.cause_type) AS cause_type,
       string.join(collect(CASE WHEN v.cause_type IS NULL THEN '0' ELSE '1' END), '') AS cause_type_present,
       collect(v.court_level) AS court_level,
       string.join(collect(CASE WHEN v.court_level IS NULL THEN '0' ELSE '1' END), '') AS court_level_present,
       collect(v.result) AS result,
       string.join(collect(CASE WHEN v.result IS NULL THEN '0' ELSE '1' END), '') AS result_present,
       collect(v.months_before_observation) AS months_before_observation,
       string.join(collect(CASE WHEN v.months_before_observation IS NULL THEN '0' ELSE '1' END), '') AS months_before_observation_present
