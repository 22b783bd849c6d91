// Enterprises by region code prefix, industry section and risk class (a risk-map cell), riskiest first
// :params {region: "5101", section: "I", risk_class: "C", unclassified: false, classes: ["A", "B", "C", "D"], skip: 0, limit: 21}
MATCH (e:Enterprise)
WHERE e.region_code STARTS WITH $region
  AND ($section IS NULL OR coalesce(e.industry_section, '') = $section)
  AND ($risk_class IS NULL OR coalesce(e.risk_class, e.label_class) = $risk_class)
  AND (NOT $unclassified OR NOT coalesce(e.risk_class, e.label_class, '') IN $classes)
RETURN e
ORDER BY coalesce(e.risk_score, -1.0) DESC, e.uscc
SKIP $skip
LIMIT $limit
