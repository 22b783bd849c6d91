// One dispatch batch with its properties
// :params {bid: "DB-20260701-0a1b2c3d"}
MATCH (b:DispatchBatch {bid: $bid})
RETURN properties(b) AS batch
