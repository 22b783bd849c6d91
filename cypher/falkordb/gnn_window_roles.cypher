// Risk model export: the named roles of positions (HOLDS_POSITION.role) held in one window of enterprises
// :params {after: -1, until: 20000}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
// One row per role with the enterprises' internal ids packed, once per position.
MATCH (s)-[r:HOLDS_POSITION]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until AND r.role IS NOT NULL AND r.role <> ''
WITH r.role AS role, collect(toString(id(e))) AS enterprises
RETURN role, string.join(enterprises, ' ') AS enterprises
