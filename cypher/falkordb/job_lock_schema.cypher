// Job locks: one node per job name (FalkorDB runs one write at a time, so MERGE makes one)
// :params {}
CREATE INDEX FOR (l:JobLock) ON (l.name);
