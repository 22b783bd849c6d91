// A batch's task and alert counts once its tasks are written (fewer when another batch took some firms first)
// :params {bid: "DB-20260701-0a1b2c3d", tasks: 2, alerts: 3}
MATCH (b:DispatchBatch {bid: $bid})
SET b.tasks = $tasks, b.alerts = $alerts
RETURN b.bid AS bid
