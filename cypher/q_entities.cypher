// Named queries: look entities up by key (Enterprise.uscc, Person.pid, Address.aid, Violation.vid)
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
OPTIONAL MATCH (e:Enterprise {uscc: key})
OPTIONAL MATCH (p:Person {pid: key})
OPTIONAL MATCH (a:Address {aid: key})
OPTIONAL MATCH (v:Violation {vid: key})
WITH key, coalesce(e, p, a, v) AS node
WHERE node IS NOT NULL
RETURN key, node
