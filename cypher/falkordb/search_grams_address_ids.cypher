// Search: the highest internal id of the address nodes, the end of the grams refresh (FalkorDB only)
// :params {}
MATCH (n:Address)
RETURN max(id(n)) AS high
