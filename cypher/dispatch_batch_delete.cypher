// Remove a batch that got no task (another batch took every firm first)
// :params {bid: "DB-20260701-0a1b2c3d"}
MATCH (b:DispatchBatch {bid: $bid})
DETACH DELETE b
