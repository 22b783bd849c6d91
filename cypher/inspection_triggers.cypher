// Inspection plan: the open alerts of the given enterprises (triggers for sandbox entities)
// :params {keys: ["91110108123456788E"], statuses: ["open", "in_progress"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})-[:HAS_ALERT]->(a:Alert)
WHERE a.status IN $statuses
RETURN key AS uscc, collect(a.key) AS alerts
