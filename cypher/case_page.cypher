// One page of cases filtered by status, severity, assignee, rule and region prefix (null = any): high severity first, then risk, then time
// :params {status: "open", severity: null, assignee: null, unassigned: false, rule: null, region: null, skip: 0, limit: 50}
MATCH (c:Case)
WHERE ($status IS NULL OR c.status = $status)
  AND ($severity IS NULL OR c.severity = $severity)
  AND ($assignee IS NULL OR c.assignee = $assignee)
  AND (NOT $unassigned OR c.assignee IS NULL)
  AND ($rule IS NULL OR $rule IN c.rules)
  AND ($region IS NULL OR any(r IN c.regions WHERE r STARTS WITH $region))
RETURN properties(c) AS props
ORDER BY c.severity_rank DESC, coalesce(c.risk, -1.0) DESC, c.last_seen DESC, c.id
SKIP $skip
LIMIT $limit
