// Stored inspection plans, newest first
// :params {skip: 0, limit: 50}
MATCH (p:InspectionPlan)
RETURN p.plan_id AS plan_id, p.seed AS seed, p.as_of AS as_of, p.created_at AS created_at,
       p.ratios AS ratios, p.whitelist_factor AS whitelist_factor,
       p.selected AS selected, p.population AS population, p.whitelist AS whitelist,
       p.sandbox AS sandbox
ORDER BY created_at DESC, plan_id
SKIP $skip
LIMIT $limit
