// The subjects of the given rules' alerts (optionally only those seen by one run)
// :params {rules: ["R02", "R09"], run_id: null}
MATCH (a:Alert)
WHERE a.rule IN $rules AND ($run_id IS NULL OR a.last_run = $run_id)
RETURN a.rule AS rule, a.subject AS subject
ORDER BY rule, subject
