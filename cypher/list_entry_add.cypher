// Put a firm on a managed list unless it is on that list already (returns no row then)
// :params {list: "whitelist", uscc: "91110108123456788E", eid: "3f2a9c1d0b7e4a61", reason: "广告信用联盟成员", actor: "analyst:0a1b2c3d4e", now: "2026-07-01T09:30:00Z", today: "2026-07-01", expires_on: null}
MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (e)-[:ON_LIST]->(x:ListEntry {list: $list, status: 'active'})
WITH e, count(x) AS current
WHERE current = 0
CREATE (e)-[:ON_LIST]->(le:ListEntry {eid: $eid, list: $list, uscc: $uscc, status: 'active',
                                      reason: $reason, entered_by: $actor, entered_at: $now,
                                      entered_on: $today})
SET le.expires_on = $expires_on
RETURN properties(le) AS entry
