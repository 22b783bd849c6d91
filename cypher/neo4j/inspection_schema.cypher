// Inspection constraints: plan ids and inspection record ids are unique
// :params {}
CREATE CONSTRAINT inspection_plan_id IF NOT EXISTS FOR (p:InspectionPlan) REQUIRE p.plan_id IS UNIQUE;
CREATE CONSTRAINT inspection_record_rid IF NOT EXISTS FOR (r:InspectionRecord) REQUIRE r.rid IS UNIQUE;
