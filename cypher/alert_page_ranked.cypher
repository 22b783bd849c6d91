// One page of alerts filtered by rule, status, severity and subject (null = any): high severity first, then the firm's risk score, then time
// :params {rule: null, status: "open", severity: null, subject: null, skip: 0, limit: 50}
MATCH (a:Alert)
WHERE ($rule IS NULL OR a.rule = $rule)
  AND ($status IS NULL OR a.status = $status)
  AND ($severity IS NULL OR a.severity = $severity)
  AND ($subject IS NULL OR a.subject = $subject)
OPTIONAL MATCH (e:Enterprise {uscc: a.subject})
RETURN properties(a) AS alert, e.name AS subject_name,
       coalesce(e.risk_class, e.label_class) AS subject_class, e.risk_score AS subject_score
ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
         coalesce(e.risk_score, -1.0) DESC, a.last_seen DESC, a.key
SKIP $skip
LIMIT $limit
