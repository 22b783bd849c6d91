// Open (or reopen) an ingest run in the ledger and return its file progress
// :params {run_id: "r1", folder: "/data/in", format: "riskgraph", batch_size: 5000, started_at: "2026-01-01T00:00:00Z"}
MERGE (run:IngestRun {run_id: $run_id})
ON CREATE SET run.folder = $folder, run.format = $format, run.batch_size = $batch_size,
              run.status = 'running', run.started_at = $started_at
WITH run
OPTIONAL MATCH (run)-[:HAS_FILE]->(f:IngestFile)
RETURN run.status AS status, run.batch_size AS batch_size,
       collect({kind: f.kind, committed: f.committed}) AS files
