// Credit repair constraints and indexes (信用修复): unique application ids, by firm, by status
// :params {}
CREATE CONSTRAINT repair_rid IF NOT EXISTS FOR (r:RepairApplication) REQUIRE r.rid IS UNIQUE;
CREATE INDEX repair_uscc IF NOT EXISTS FOR (r:RepairApplication) ON (r.uscc);
CREATE INDEX repair_status IF NOT EXISTS FOR (r:RepairApplication) ON (r.status);
