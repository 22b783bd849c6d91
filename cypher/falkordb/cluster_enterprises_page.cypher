// Risk clusters: one page of enterprises after a cursor (here the internal id) with their strong links
// :params {after: null, limit: 5000, today: "2026-06-30", exclude_statuses: ["注销", "迁出"]}
// FalkorDB sorts a whole range-index scan for ORDER BY e.uscc; an id range is a seek.
// Each pattern comprehension uses its own variable names: FalkorDB mixes up names reused
// across comprehensions of one projection.
MATCH (e:Enterprise)
WHERE id(e) > coalesce($after, -1)
WITH e
ORDER BY id(e)
LIMIT $limit
RETURN id(e) AS cursor, e.uscc AS key,
       NOT coalesce(e.status, '') IN $exclude_statuses AS included,
       coalesce(e.risk_class, e.label_class) AS class,
       coalesce(e.risk_score, 0.0) AS score,
       [(p1:Person)-[r1:LEGAL_REP_OF]->(e) WHERE r1.until IS NULL OR r1.until > date($today)
        | p1.pid] AS legal_reps,
       [(p2:Person)-[r2:HOLDS_POSITION]->(e) WHERE r2.until IS NULL OR r2.until > date($today)
        | p2.pid] AS officers,
       [(e)-[:REGISTERED_AT]->(a3:Address) | a3.aid] AS addresses,
       [(i4:Enterprise)-[r4:INVESTS_IN]->(e) | {key: i4.uscc, ratio: r4.ratio}] AS investors,
       [(e)-[:BRANCH_OF]->(h5:Enterprise) | h5.uscc] AS parents
