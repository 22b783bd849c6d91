// Dispatch batches, newest first
// :params {skip: 0, limit: 51}
MATCH (b:DispatchBatch)
RETURN properties(b) AS batch
ORDER BY b.created_at DESC, b.bid DESC
SKIP $skip
LIMIT $limit
