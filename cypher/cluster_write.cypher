// Store risk clusters of one build and link their members (MERGE on the stable cluster id)
// :params {build: "b1", now: "2026-06-30T08:00:00Z", rows: [{cid: "RC-91110108123456788E", size: 2, cd_count: 1, risk_mass: 0.7, reasons: ["legal_rep"], reason_counts: [1], level: 0, oversize: false, members: ["91110108123456788E", "91510107MA61XXXX1A"]}]}
UNWIND $rows AS row
MERGE (c:RiskCluster {cid: row.cid})
SET c.size = row.size, c.cd_count = row.cd_count, c.risk_mass = row.risk_mass,
    c.reasons = row.reasons, c.reason_counts = row.reason_counts,
    c.top_reason = row.reasons[0], c.split_level = row.level, c.oversize = row.oversize,
    c.build = $build, c.built_at = $now
WITH c, row
UNWIND row.members AS key
MATCH (e:Enterprise {uscc: key})
MERGE (e)-[m:IN_CLUSTER]->(c)
SET m.build = $build
RETURN count(m) AS members
