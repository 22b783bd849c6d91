// The firm's current (active) entry on a managed list, if any
// :params {list: "whitelist", uscc: "91110108123456788E"}
MATCH (le:ListEntry {uscc: $uscc})
WHERE le.list = $list AND le.status = 'active'
RETURN properties(le) AS entry
