// Job locks: one node per job name (the constraint makes two first MERGEs one node)
// :params {}
CREATE CONSTRAINT job_lock_name IF NOT EXISTS FOR (l:JobLock) REQUIRE l.name IS UNIQUE;
