// Enterprise within two hops of a D-class enterprise (shared persons, investment, branch)
// :params {"today": "2026-06-30", "classes": ["D"], "exclude_statuses": ["注销", "迁出"]}
// id: R10
// title_zh: 两跳内关联高风险（D类）企业
// severity: medium
// evidence: the D-class enterprises reached
// The class is the model's risk_class where scored, else the supervisor's label_class.
MATCH (d:Enterprise)
WHERE coalesce(d.risk_class, d.label_class) IN $classes
  AND NOT coalesce(d.status, '') IN $exclude_statuses
// The DISTINCT makes the expansion start from the D firms: without it Neo4j's planner
// expanded from every other firm into a hash join over all of them, which at 1.57M
// firms went over its 2 GB transaction memory limit (with it: 33 s).
WITH DISTINCT d
MATCH path = (d)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN|BRANCH_OF*1..2]-(e:Enterprise)
WHERE e <> d
  AND NOT coalesce(e.status, '') IN $exclude_statuses
  AND NOT coalesce(e.risk_class, e.label_class, '') IN $classes
  AND all(r IN relationships(path) WHERE r.until IS NULL OR r.until > date($today))
WITH e, d
ORDER BY d.uscc
WITH e, collect(DISTINCT 'd_class:' + d.uscc) AS reached
RETURN e.uscc AS subject, reached AS evidence
