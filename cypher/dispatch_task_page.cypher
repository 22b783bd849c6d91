// A batch's tasks in task order, optionally of one status
// :params {bid: "DB-20260701-0a1b2c3d", status: null, skip: 0, limit: 51}
MATCH (b:DispatchBatch {bid: $bid})-[:HAS_TASK]->(t:DispatchTask)
WHERE $status IS NULL OR t.status = $status
RETURN properties(t) AS task
ORDER BY t.tid
SKIP $skip
LIMIT $limit
