// Every stored case with what a rebuild keeps: assignee and its build
// :params {}
MATCH (c:Case)
RETURN c.id AS id, c.assignee AS assignee, c.build AS build
