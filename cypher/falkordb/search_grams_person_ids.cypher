// Search: the highest internal id of the person nodes, the end of the grams refresh (FalkorDB only)
// :params {}
MATCH (n:Person)
RETURN max(id(n)) AS high
