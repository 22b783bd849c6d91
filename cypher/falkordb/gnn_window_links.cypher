// Risk model export: the links of one window of enterprises, per relationship type, as packed id pairs
// :params {after: -1, until: 20000, types: ["LEGAL_REP_OF", "HOLDS_POSITION", "INVESTS_IN", "REGISTERED_AT"]}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
// `pairs` is "source target source target …" in internal ids, one string per type: a typed
// pattern per type is a cheap scan where `[r]` with type(r) is not, and one string replaces
// tens of thousands of reply values. Ends that are neither enterprise, person nor address are
// dropped by the reader.
// Only the types in $types are read (the gate skips the others before any scan): the
// export passes those the graph has (gnn_window_link_types).
WITH 1 AS gate WHERE 'LEGAL_REP_OF' IN $types
MATCH (s)-[:LEGAL_REP_OF]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'LEGAL_REP_OF' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'HOLDS_POSITION' IN $types
MATCH (s)-[:HOLDS_POSITION]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'HOLDS_POSITION' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'INVESTS_IN' IN $types
MATCH (s)-[:INVESTS_IN]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'INVESTS_IN' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'BRANCH_OF' IN $types
MATCH (s)-[:BRANCH_OF]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'BRANCH_OF' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'SHAREHOLDER_OF' IN $types
MATCH (s)-[:SHAREHOLDER_OF]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'SHAREHOLDER_OF' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'LOAN' IN $types
MATCH (s)-[:LOAN]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'LOAN' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'DEAL' IN $types
MATCH (s)-[:DEAL]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'DEAL' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'RENT' IN $types
MATCH (s)-[:RENT]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'RENT' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'CREDITOR' IN $types
MATCH (s)-[:CREDITOR]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'CREDITOR' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
WITH 1 AS gate WHERE 'REGISTERED_AT' IN $types
MATCH (e:Enterprise)-[:REGISTERED_AT]->(t)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'REGISTERED_AT' AS type, string.join(collect(toString(id(e)) + ' ' + toString(id(t))), ' ') AS pairs
