// Firms among the given keys that already have an unfinished dispatch task
// :params {keys: ["91110108123456788E"], statuses: ["待签收", "处理中"]}
MATCH (t:DispatchTask)
WHERE t.uscc IN $keys AND t.status IN $statuses
RETURN DISTINCT t.uscc AS uscc
