// Legal representative and officers of one enterprise
// :params {uscc: "91110108123456788E", limit: 500}
MATCH (p:Person)-[r:LEGAL_REP_OF|HOLDS_POSITION]->(e:Enterprise {uscc: $uscc})
RETURN p.pid AS pid, p.name AS name, type(r) AS type, r.role AS role,
       r.since AS since, r.until AS until
ORDER BY type, role, pid
LIMIT $limit
