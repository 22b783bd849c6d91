// Hand the history of cases that a rebuild retires to the cases that took their alerts
// :params {rows: [{from: "CASE-3f9a1c0b7e21", to: "CASE-77aa01c2d3e4"}]}
UNWIND $rows AS row
MATCH (old:Case {id: row.from})-[r:HAS_EVENT]->(ev:CaseEvent)
MATCH (new:Case {id: row.to})
CREATE (new)-[:HAS_EVENT]->(ev)
SET ev.moved_from = row.from
DELETE r
RETURN count(ev) AS moved
