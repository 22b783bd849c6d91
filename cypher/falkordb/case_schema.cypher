// Case indexes: the case id, its status and assignee, and each alert's case
// :params {}
CREATE INDEX FOR (c:Case) ON (c.id);
CREATE INDEX FOR (c:Case) ON (c.status);
CREATE INDEX FOR (c:Case) ON (c.assignee);
CREATE INDEX FOR (a:Alert) ON (a.case_id);
