// Enterprises by region code prefix, industry section, risk class (a risk-map cell) and kind of market entity (org types in or, negated, not in $kind_types), riskiest first
// :params {region: "5101", section: "I", risk_class: "C", unclassified: false, classes: ["A", "B", "C", "D"], kind_types: ["个体工商户"], kind_negate: false, skip: 0, limit: 21}
MATCH (e:Enterprise)
WHERE e.region_code STARTS WITH $region
  AND ($section IS NULL OR coalesce(e.industry_section, '') = $section)
  AND ($risk_class IS NULL OR coalesce(e.risk_class, e.label_class) = $risk_class)
  AND (NOT $unclassified OR NOT coalesce(e.risk_class, e.label_class, '') IN $classes)
  AND ($kind_types IS NULL
       OR ($kind_negate AND NOT coalesce(e.org_type, '') IN $kind_types)
       OR (NOT $kind_negate AND coalesce(e.org_type, '') IN $kind_types))
RETURN e
ORDER BY coalesce(e.risk_score, -1.0) DESC, e.uscc
SKIP $skip
LIMIT $limit
