// Risk model export: the keys of the persons in one internal-id window
// :params {after: -1, until: 100000}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
// `ids` packs the internal ids; `keys` lists the keys in the same order.
MATCH (n:Person)
WHERE id(n) > $after AND id(n) <= $until AND n.pid IS NOT NULL
RETURN string.join(collect(toString(id(n))), ' ') AS ids, collect(n.pid) AS keys
