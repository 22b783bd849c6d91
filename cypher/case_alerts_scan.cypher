// Alerts in key order after a key, with what grouping them into cases needs
// :params {after: "", limit: 5000}
MATCH (a:Alert)
WHERE a.key > $after
RETURN a.key AS key, a.rule AS rule, a.subject AS subject, a.severity AS severity,
       a.status AS status, a.evidence AS evidence, a.first_seen AS first_seen,
       a.last_seen AS last_seen, a.case_id AS case_id, a.title AS title, a.title_zh AS title_zh
ORDER BY key
LIMIT $limit
