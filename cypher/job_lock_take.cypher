// Take a job's lock unless another holder has it and it has not expired (returns no row then)
// (the SET/REMOVE locks the node first: Neo4j reads the holder unlocked, so two jobs could both take it)
// :params {name: "cases_rebuild", holder: "host:4242:0a1b2c3d", now: 1782806400.0, until: 1782828000.0}
MERGE (l:JobLock {name: $name})
SET l._lock = true
REMOVE l._lock
WITH l
WHERE coalesce(l.holder, '') = '' OR l.expires_at < $now
SET l.holder = $holder, l.taken_at = $now, l.expires_at = $until
RETURN l.holder AS holder
