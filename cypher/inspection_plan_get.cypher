// An inspection plan's record and how many selected enterprises have a result
// :params {plan_id: "IP-2026-06-30-0a1b2c3d4e5f"}
MATCH (p:InspectionPlan {plan_id: $plan_id})
OPTIONAL MATCH (e:Enterprise)-[s:SELECTED_FOR]->(p)
RETURN properties(p) AS plan, count(s) AS linked, count(s.result) AS inspected
