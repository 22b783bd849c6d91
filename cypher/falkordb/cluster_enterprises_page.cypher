// Risk clusters: the enterprises of one internal-id window (see graph/paging.py) with their strong links
// :params {after: -1, until: 20000, limit: 5000, today: "2026-06-30", exclude_statuses: ["注销", "迁出"]}
// FalkorDB sorts all the remaining nodes for ORDER BY … LIMIT; an id window is a seek.
// Each pattern comprehension uses its own variable names: FalkorDB mixes up names reused
// across comprehensions of one projection.
MATCH (e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
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
