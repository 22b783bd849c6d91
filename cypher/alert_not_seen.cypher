// Count a rule's active alerts that its latest run did not find again
// :params {rule: "R02", run_id: "a1b2c3", statuses: ["open", "in_progress"]}
MATCH (a:Alert {rule: $rule})
WHERE a.last_run <> $run_id AND a.status IN $statuses
RETURN count(a) AS not_seen
