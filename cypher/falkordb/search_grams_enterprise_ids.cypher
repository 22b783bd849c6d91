// Search: the highest internal id of the enterprise nodes, the end of the grams refresh (FalkorDB only)
// :params {}
// FalkorDB only: Neo4j's cjk analyzer indexes the text itself; graph/search_index.py reads this after checking the dialect
MATCH (n:Enterprise)
RETURN max(id(n)) AS high
