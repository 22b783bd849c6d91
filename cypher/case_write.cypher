// Store the cases of one build (MERGE on the case id; assignee and history are left alone)
// :params {build: "b1", now: "2026-06-30T08:00:00Z", rows: [{id: "CASE-3f9a1c0b7e21", props: {status: "open", severity: "high", severity_rank: 3, risk: 0.91, alert_count: 9, firm_count: 9, rules: ["R02"], regions: ["510107"], firms: ["91110108123456788E"], keys: ["person:9c1e"], title: "Shell-company ring", title_zh: "空壳公司群", first_seen: "2026-06-30T08:00:00Z", last_seen: "2026-06-30T08:00:00Z"}}]}
UNWIND $rows AS row
MERGE (c:Case {id: row.id})
ON CREATE SET c.created_at = $now, c.events = 0
SET c += row.props, c.build = $build, c.built_at = $now
RETURN count(c) AS written
