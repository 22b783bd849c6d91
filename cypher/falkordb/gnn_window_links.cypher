// Risk model export: the links of one window of enterprises, per relationship type, as packed id pairs
// :params {after: -1, until: 20000}
// FalkorDB only: internal-id windows and packed replies for the risk model export (gnn/falkordb_export.py)
// `pairs` is "source target source target …" in internal ids, one string per type: a typed
// pattern per type is a cheap scan where `[r]` with type(r) is not, and one string replaces
// tens of thousands of reply values. Ends that are neither enterprise, person nor address are
// dropped by the reader.
MATCH (s)-[:LEGAL_REP_OF]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'LEGAL_REP_OF' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:HOLDS_POSITION]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'HOLDS_POSITION' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:INVESTS_IN]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'INVESTS_IN' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:BRANCH_OF]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'BRANCH_OF' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:SHAREHOLDER_OF]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'SHAREHOLDER_OF' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:LOAN]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'LOAN' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:DEAL]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'DEAL' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:RENT]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'RENT' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (s)-[:CREDITOR]->(e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'CREDITOR' AS type, string.join(collect(toString(id(s)) + ' ' + toString(id(e))), ' ') AS pairs
UNION ALL
MATCH (e:Enterprise)-[:REGISTERED_AT]->(t)
WHERE id(e) > $after AND id(e) <= $until
RETURN 'REGISTERED_AT' AS type, string.join(collect(toString(id(e)) + ' ' + toString(id(t))), ' ') AS pairs
