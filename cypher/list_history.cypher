// Every entry (active or exited) of one firm on the managed lists, oldest first
// :params {uscc: "91110108123456788E", limit: 500}
MATCH (le:ListEntry {uscc: $uscc})
RETURN properties(le) AS entry
ORDER BY le.entered_at, le.eid
LIMIT $limit
