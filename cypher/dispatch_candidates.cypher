// Alerts a dispatch may draw on: by status, rules, run, severities and region prefix, with their firm
// :params {statuses: ["open", "in_progress"], rules: null, run_id: null, severities: ["high", "medium", "low"], region: null, limit: 50001}
MATCH (e:Enterprise)-[:HAS_ALERT]->(a:Alert)
WHERE a.status IN $statuses
  AND a.severity IN $severities
  AND ($rules IS NULL OR a.rule IN $rules)
  AND ($run_id IS NULL OR a.last_run = $run_id)
  AND ($region IS NULL OR coalesce(e.region_code, '') STARTS WITH $region)
RETURN e.uscc AS uscc, e.name AS name, e.region_code AS region, a.key AS key,
       a.rule AS rule, a.severity AS severity
ORDER BY uscc, key
LIMIT $limit
