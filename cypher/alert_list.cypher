// Alerts filtered by rule, status and subject (null = any), most recently seen first
// :params {rule: null, status: "open", subject: null, limit: 100}
MATCH (a:Alert)
WHERE ($rule IS NULL OR a.rule = $rule)
  AND ($status IS NULL OR a.status = $status)
  AND ($subject IS NULL OR a.subject = $subject)
RETURN properties(a) AS alert
ORDER BY a.last_seen DESC, a.key
LIMIT $limit
