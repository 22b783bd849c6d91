// Create a batch's tasks, one per firm, linked to the batch, the firm and the alerts they came from; with $skip_pending a firm that has an unfinished task by now (another batch made at the same moment) gets none
// Neo4j: the SET/REMOVE locks the firm first (Neo4j reads its tasks unlocked, so two batches could both pass); FalkorDB runs one write at a time and would re-index the firm's name for nothing
// :params {bid: "DB-20260701-0a1b2c3d", status: "待签收", now: "2026-07-01T09:30:00Z", skip_pending: true, unfinished: ["待签收", "处理中"], rows: [{tid: "DB-20260701-0a1b2c3d-00001", uscc: "91110108123456788E", name: "示例科技有限公司", unit: "510107", unit_name: "四川省成都市武侯区市场监督管理局", rules: ["R02"], alerts: ["R02|91110108123456788E"]}]}
MATCH (b:DispatchBatch {bid: $bid})
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
SET e._lock = true
REMOVE e._lock
WITH b, row, e
OPTIONAL MATCH (e)<-[:FOR_FIRM]-(x:DispatchTask)
WHERE x.status IN $unfinished
WITH b, row, e, count(x) AS unfinished
WHERE NOT $skip_pending OR unfinished = 0
CREATE (b)-[:HAS_TASK]->(t:DispatchTask {tid: row.tid})
SET t.bid = $bid, t.uscc = row.uscc, t.firm_name = row.name, t.unit = row.unit,
    t.unit_name = row.unit_name, t.rules = row.rules, t.alerts = row.alerts,
    t.status = $status, t.created_at = $now, t.events = 0
CREATE (t)-[:FOR_FIRM]->(e)
RETURN t.tid AS tid
