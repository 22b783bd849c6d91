// One dispatch task of a batch
// :params {bid: "DB-20260701-0a1b2c3d", tid: "DB-20260701-0a1b2c3d-00001"}
MATCH (t:DispatchTask {tid: $tid})
WHERE t.bid = $bid
RETURN properties(t) AS task
