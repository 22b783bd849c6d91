// Link the enterprises an inspection plan selected to it
// :params {plan_id: "IP-2026-06-30-0a1b2c3d4e5f", rows: [{uscc: "91110108123456788E", class: "B", stratum: "B", reason: "random"}]}
MATCH (p:InspectionPlan {plan_id: $plan_id})
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (e)-[s:SELECTED_FOR]->(p)
SET s.class = row.class, s.stratum = row.stratum, s.reason = row.reason
RETURN count(s) AS selected
