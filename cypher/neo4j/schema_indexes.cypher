// Indexes on node properties: the label and the properties of each (not the built-in token lookups)
// :params {}
SHOW INDEXES YIELD entityType, labelsOrTypes, properties, type
WHERE entityType = 'NODE' AND type <> 'LOOKUP'
RETURN labelsOrTypes[0] AS label, properties
ORDER BY label, properties
