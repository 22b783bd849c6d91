// Search: the highest internal id of the enterprise nodes, the end of the grams refresh (FalkorDB only)
// :params {}
MATCH (n:Enterprise)
RETURN max(id(n)) AS high
