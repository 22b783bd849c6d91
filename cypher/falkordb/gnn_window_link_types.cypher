// Risk model export: the relationship types the graph has ever held (its schema)
// :params {}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
// The link windows skip the types not listed. Counting a type's relationships with a label or a
// grouping key beside count(r) scans every node on FalkorDB (~12 s on 1.57M enterprises); this is
// a schema lookup. A type whose relationships were all deleted stays listed and is read as before.
CALL db.relationshipTypes() YIELD relationshipType
RETURN relationshipType AS type
