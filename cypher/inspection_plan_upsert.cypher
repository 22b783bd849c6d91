// Store an inspection plan's record (its inputs live in the plan's JSON file)
// :params {plan_id: "IP-2026-06-30-0a1b2c3d4e5f", seed: 7, as_of: "2026-06-30", created_at: "2026-06-30T08:00:00Z", ratios: "{\"A\": 0.05}", whitelist_factor: 0.5, counts: "{}", inputs_sha256: "0a1b…", selected: 120, population: 1000, whitelist: 3, sandbox: 2, path: "data/inspections/IP-2026-06-30-0a1b2c3d4e5f.json"}
MERGE (p:InspectionPlan {plan_id: $plan_id})
SET p.seed = $seed, p.as_of = date($as_of), p.created_at = $created_at, p.ratios = $ratios,
    p.whitelist_factor = $whitelist_factor, p.counts = $counts,
    p.inputs_sha256 = $inputs_sha256, p.selected = $selected, p.population = $population,
    p.whitelist = $whitelist, p.sandbox = $sandbox, p.path = $path
RETURN p.plan_id AS plan_id
