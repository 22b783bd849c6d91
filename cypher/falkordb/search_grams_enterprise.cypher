// Search: write the lower-case character bigrams of each enterprise's name that the full-text index holds (FalkorDB only, graph/search_index.py)
// :params {after: -1, until: 20000, run_id: null}
// FalkorDB only: Neo4j's cjk analyzer indexes the text itself; graph/search_index.py reads this after checking the dialect
MATCH (n:Enterprise)
WHERE id(n) > $after AND id(n) <= $until AND n.name IS NOT NULL
  AND (n.search_grams IS NULL OR n.lastupdated = $run_id)
SET n.search_grams = reduce(g = '', i IN range(0, size(n.name) - 2) | g + ' ' + toLower(substring(n.name, i, 2)))
RETURN count(n) AS written
