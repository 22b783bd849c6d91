// Tasks per status of the given batches
// :params {bids: ["DB-20260701-0a1b2c3d"]}
MATCH (b:DispatchBatch)-[:HAS_TASK]->(t:DispatchTask)
WHERE b.bid IN $bids
RETURN b.bid AS bid, t.status AS status, count(t) AS count
ORDER BY bid, status
