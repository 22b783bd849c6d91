// Dispatch indexes: uniqueness of batch and task keys, a task's firm and status
// :params {}
CREATE CONSTRAINT dispatch_batch_bid IF NOT EXISTS FOR (b:DispatchBatch) REQUIRE b.bid IS UNIQUE;
CREATE CONSTRAINT dispatch_task_tid IF NOT EXISTS FOR (t:DispatchTask) REQUIRE t.tid IS UNIQUE;
CREATE INDEX dispatch_task_uscc IF NOT EXISTS FOR (t:DispatchTask) ON (t.uscc);
CREATE INDEX dispatch_task_status IF NOT EXISTS FOR (t:DispatchTask) ON (t.status);
