// One page of alerts filtered by rule, status, severity and subject (null = any), most recently seen first, with the firm's name, class and score
// :params {rule: null, status: "open", severity: "high", subject: null, skip: 0, limit: 50}
MATCH (a:Alert)
WHERE ($rule IS NULL OR a.rule = $rule)
  AND ($status IS NULL OR a.status = $status)
  AND ($severity IS NULL OR a.severity = $severity)
  AND ($subject IS NULL OR a.subject = $subject)
WITH a
ORDER BY a.last_seen DESC, a.key
SKIP $skip
LIMIT $limit
OPTIONAL MATCH (e:Enterprise {uscc: a.subject})
RETURN properties(a) AS alert, e.name AS subject_name,
       coalesce(e.risk_class, e.label_class) AS subject_class, e.risk_score AS subject_score
ORDER BY a.last_seen DESC, a.key
