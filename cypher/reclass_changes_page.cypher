// The change feed: class changes of the months listed, filtered by new class and region prefix, month then key order
// :params {months: ["2026-05", "2026-06"], current: null, region: null, skip: 0, limit: 50}
// The months come as a list: FalkorDB's index ignores an upper bound on text (`<`, `<=`).
MATCH (c:ClassChange)
WHERE c.month IN $months
  AND ($current IS NULL OR c.current = $current)
  AND ($region IS NULL OR c.region_code STARTS WITH $region)
WITH c
ORDER BY c.month, c.uscc
SKIP $skip
LIMIT $limit
OPTIONAL MATCH (e:Enterprise {uscc: c.uscc})
RETURN c.uscc AS key, e.name AS name, c.month AS month, c.previous AS previous,
       c.current AS current, c.risk_score AS score, c.region_code AS region_code,
       c.industry_section AS industry_section, c.kind AS kind
ORDER BY month, key
