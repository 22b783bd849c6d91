// The change feed: class changes of the months listed, filtered by new class and region prefix, month then key order
// :params {months: ["2026-05", "2026-06"], current: null, region: null, skip: 0, limit: 50}
// The months come as a list: FalkorDB's index ignores an upper bound on text (`<`, `<=`).
// A feed record is the month's RiskAssessment of a firm whose class changed or that is new (feed_month set).
MATCH (c:RiskAssessment)
WHERE c.feed_month IN $months
  AND ($current IS NULL OR c.risk_class = $current)
  AND ($region IS NULL OR c.region_code STARTS WITH $region)
WITH c
ORDER BY c.feed_month, c.uscc
SKIP $skip
LIMIT $limit
OPTIONAL MATCH (e:Enterprise {uscc: c.uscc})
RETURN c.uscc AS key, e.name AS name, c.feed_month AS month, c.previous AS previous,
       c.risk_class AS current, c.risk_score AS score, c.region_code AS region_code,
       c.industry_section AS industry_section, c.kind AS kind
ORDER BY month, key
