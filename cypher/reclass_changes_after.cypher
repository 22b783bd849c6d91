// The change feed of one month in key order after the key $after (the export reads it page by page)
// :params {month: "2026-06", after: "", current: null, region: null, limit: 5000}
MATCH (c:ClassChange)
WHERE c.month = $month AND c.uscc > $after
  AND ($current IS NULL OR c.current = $current)
  AND ($region IS NULL OR c.region_code STARTS WITH $region)
WITH c
ORDER BY c.uscc
LIMIT $limit
OPTIONAL MATCH (e:Enterprise {uscc: c.uscc})
RETURN c.uscc AS key, e.name AS name, c.month AS month, c.previous AS previous,
       c.current AS current, c.risk_score AS score, c.region_code AS region_code,
       c.industry_section AS industry_section, c.kind AS kind
ORDER BY key
