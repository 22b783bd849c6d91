// Create a dispatch batch (派发批次)
// :params {bid: "DB-20260701-0a1b2c3d", props: {created_by: "admin:k1", created_at: "2026-07-01T09:30:00Z", due: "2026-07-31", source: "{}", thresholds: "{}", tasks: 2}}
CREATE (b:DispatchBatch {bid: $bid})
SET b += $props
RETURN b.bid AS bid
