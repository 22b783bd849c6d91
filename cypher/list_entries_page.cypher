// One page of a managed list's entries (active or exited) with the firm's name and class, newest first
// :params {list: "whitelist", status: "active", skip: 0, limit: 50}
MATCH (e:Enterprise)-[:ON_LIST]->(le:ListEntry)
WHERE le.list = $list AND le.status = $status
RETURN properties(le) AS entry, e.name AS name, e.risk_class AS risk_class,
       e.label_class AS label_class
ORDER BY le.entered_at DESC, le.eid
SKIP $skip
LIMIT $limit
