// One page of alerts filtered by rule, status, severity and subject (null = any), most recently seen first
// :params {rule: null, status: "open", severity: "high", subject: null, skip: 0, limit: 50}
MATCH (a:Alert)
WHERE ($rule IS NULL OR a.rule = $rule)
  AND ($status IS NULL OR a.status = $status)
  AND ($severity IS NULL OR a.severity = $severity)
  AND ($subject IS NULL OR a.subject = $subject)
RETURN properties(a) AS alert
ORDER BY a.last_seen DESC, a.key
SKIP $skip
LIMIT $limit
