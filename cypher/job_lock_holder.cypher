// Who holds a job's lock, and until when
// :params {name: "cases_rebuild"}
MATCH (l:JobLock {name: $name})
RETURN l.holder AS holder, l.taken_at AS taken_at, l.expires_at AS expires_at
