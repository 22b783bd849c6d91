// The change feed of one month in key order after the key $after (the export reads it page by page)
// :params {month: "2026-06", after: "", current: null, region: null, limit: 5000}
// A feed record is the month's RiskAssessment of a firm whose class changed or that is new (feed_month set).
MATCH (c:RiskAssessment)
WHERE c.feed_month = $month AND c.uscc > $after
  AND ($current IS NULL OR c.risk_class = $current)
  AND ($region IS NULL OR c.region_code STARTS WITH $region)
WITH c
ORDER BY c.uscc
LIMIT $limit
OPTIONAL MATCH (e:Enterprise {uscc: c.uscc})
RETURN c.uscc AS key, e.name AS name, c.feed_month AS month, c.previous AS previous,
       c.risk_class AS current, c.risk_score AS score, c.region_code AS region_code,
       c.industry_section AS industry_section, c.kind AS kind
ORDER BY key
