// Restart a finished ingest run from the beginning
// :params {run_id: "r1", started_at: "2026-01-01T00:00:00Z"}
MATCH (run:IngestRun {run_id: $run_id})
SET run.status = 'running', run.started_at = $started_at, run.finished_at = null
WITH run
OPTIONAL MATCH (run)-[:HAS_FILE]->(f:IngestFile)
SET f.committed = 0
