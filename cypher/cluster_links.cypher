// The members of a risk cluster with their risk and the links among them
// :params {keys: ["91110108123456788E", "91510107MA61XXXX1A"], today: "2026-06-30"}
// Each pattern comprehension uses its own variable names: FalkorDB mixes up names reused
// across comprehensions of one projection.
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS uscc, e.name AS name, e.status AS status, e.region_code AS region_code,
       e.industry_code AS industry_code, e.risk_class AS risk_class, e.risk_score AS risk_score,
       e.model_version AS model_version,
       [(p1:Person)-[r1:LEGAL_REP_OF]->(e) WHERE r1.until IS NULL OR r1.until > date($today)
        | {pid: p1.pid, name: p1.name}] AS legal_reps,
       [(p2:Person)-[r2:HOLDS_POSITION]->(e) WHERE r2.until IS NULL OR r2.until > date($today)
        | {pid: p2.pid, name: p2.name, role: r2.role}] AS officers,
       [(e)-[:REGISTERED_AT]->(a3:Address) | {aid: a3.aid, address: a3.address}] AS addresses,
       [(e)-[r4:INVESTS_IN]->(t4:Enterprise) WHERE t4.uscc IN $keys
        | {target: t4.uscc, ratio: r4.ratio}] AS investments,
       [(e)-[:BRANCH_OF]->(h5:Enterprise) WHERE h5.uscc IN $keys | h5.uscc] AS parents
