// Give a job's lock back (only its holder can); the properties stay, emptied, so the node's shape never changes
// :params {name: "cases_rebuild", holder: "host:4242:0a1b2c3d"}
MATCH (l:JobLock {name: $name})
WHERE l.holder = $holder
SET l.holder = '', l.expires_at = 0.0
RETURN count(l) AS released
