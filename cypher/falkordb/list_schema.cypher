// Managed list indexes (白名单, 沙盒): entry ids, and entries by firm and list
// :params {}
CREATE INDEX FOR (le:ListEntry) ON (le.eid);
CREATE INDEX FOR (le:ListEntry) ON (le.uscc);
CREATE INDEX FOR (le:ListEntry) ON (le.list);
