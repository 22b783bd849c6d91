// Whether the graph holds anything besides the ingest ledger (decides first-load mode)
// :params {}
MATCH (n)
WHERE NOT n:IngestRun AND NOT n:IngestFile
WITH n LIMIT 1
RETURN count(n) > 0 AS has_data
