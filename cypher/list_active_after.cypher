// Active entries of the managed lists (one list, or every list when null) after an entry id, in id order
// :params {list: null, after: "", limit: 1000}
MATCH (le:ListEntry)
WHERE le.status = 'active' AND le.eid > $after AND ($list IS NULL OR le.list = $list)
RETURN le.eid AS eid, le.list AS list, le.uscc AS uscc, le.entered_on AS entered_on,
       le.expires_on AS expires_on
ORDER BY eid
LIMIT $limit
