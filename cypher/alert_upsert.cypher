// Record rule findings as alerts, one per rule and subject: new ones open, seen ones updated
// :params {rule: "R02", title: "Shell-company ring", title_zh: "空壳公司群", severity: "high", now: "2026-06-30T08:00:00Z", run_id: "a1b2c3", status: "open", rows: [{key: "R02|91110108123456788E", subject: "91110108123456788E", evidence: ["legal_rep:9c1e"]}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.subject})
MERGE (a:Alert {key: row.key})
ON CREATE SET a.rule = $rule, a.subject = row.subject, a.first_seen = $now,
              a.first_run = $run_id, a.status = $status, a.run_count = 0, a.events = 0
SET a.title = $title, a.title_zh = $title_zh, a.severity = $severity,
    a.evidence = row.evidence, a.last_seen = $now, a.last_run = $run_id,
    a.run_count = a.run_count + 1
MERGE (e)-[:HAS_ALERT]->(a)
RETURN count(a) AS matched, count(CASE WHEN a.run_count = 1 THEN a END) AS new
