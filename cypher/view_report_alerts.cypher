// Early-warning alerts on a saved view's enterprises for its case report, most recently seen first
// :params {keys: ["91110108123456788E"], limit: 500}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})-[:HAS_ALERT]->(a:Alert)
RETURN e.uscc AS uscc, e.name AS firm, a.key AS key, a.rule AS rule, a.title_zh AS title_zh,
       a.title AS title, a.severity AS severity, a.status AS status, a.last_seen AS last_seen
ORDER BY last_seen DESC, key
LIMIT $limit
