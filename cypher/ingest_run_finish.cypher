// Close an ingest run with its counts
// :params {run_id: "r1", finished_at: "2026-01-01T00:10:00Z", totals: "{\"loaded\": 10}"}
MATCH (run:IngestRun {run_id: $run_id})
SET run.status = 'completed', run.finished_at = $finished_at, run.totals = $totals
