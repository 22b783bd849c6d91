// How many cases are in each status under the other filters (severity, assignee, rule, region prefix)
// :params {severity: null, assignee: null, unassigned: false, rule: null, region: null}
MATCH (c:Case)
WHERE ($severity IS NULL OR c.severity = $severity)
  AND ($assignee IS NULL OR c.assignee = $assignee)
  AND (NOT $unassigned OR c.assignee IS NULL)
  AND ($rule IS NULL OR $rule IN c.rules)
  AND ($region IS NULL OR any(r IN c.regions WHERE r STARTS WITH $region))
RETURN c.status AS status, count(c) AS cases
