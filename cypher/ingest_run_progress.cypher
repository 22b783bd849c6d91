// Record how many batches of one input file are committed
// :params {run_id: "r1", kind: "enterprises", checksum: "ab12…", committed: 3}
MATCH (run:IngestRun {run_id: $run_id})
MERGE (run)-[:HAS_FILE]->(f:IngestFile {fid: $run_id + ':' + $kind})
SET f.kind = $kind, f.checksum = $checksum, f.committed = $committed
