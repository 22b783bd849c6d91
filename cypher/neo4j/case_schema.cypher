// Case indexes: a uniqueness constraint on the case id, its status and assignee, and each alert's case
// :params {}
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (c:Case) REQUIRE c.id IS UNIQUE;
CREATE INDEX case_status IF NOT EXISTS FOR (c:Case) ON (c.status);
CREATE INDEX case_assignee IF NOT EXISTS FOR (c:Case) ON (c.assignee);
CREATE INDEX alert_case_id IF NOT EXISTS FOR (a:Alert) ON (a.case_id);
