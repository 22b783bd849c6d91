// Indexes on node properties: the label and the properties of each
// :params {}
CALL db.indexes() YIELD label, properties
RETURN label, properties
ORDER BY label, properties
