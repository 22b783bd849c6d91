// Credit repair indexes (信用修复): application ids, by firm, by status
// :params {}
CREATE INDEX FOR (r:RepairApplication) ON (r.rid);
CREATE INDEX FOR (r:RepairApplication) ON (r.uscc);
CREATE INDEX FOR (r:RepairApplication) ON (r.status);
