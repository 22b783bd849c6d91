// Dispatch indexes: batch and task keys, a task's firm and status
// :params {}
CREATE INDEX FOR (b:DispatchBatch) ON (b.bid);
CREATE INDEX FOR (t:DispatchTask) ON (t.tid);
CREATE INDEX FOR (t:DispatchTask) ON (t.uscc);
CREATE INDEX FOR (t:DispatchTask) ON (t.status);
