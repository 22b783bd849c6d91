// Inspection indexes: plan ids and inspection record ids
// :params {}
CREATE INDEX FOR (p:InspectionPlan) ON (p.plan_id);
CREATE INDEX FOR (r:InspectionRecord) ON (r.rid);
