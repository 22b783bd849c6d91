// Managed list constraints and indexes (白名单, 沙盒): unique entry ids, entries by firm and list
// :params {}
CREATE CONSTRAINT list_entry_eid IF NOT EXISTS FOR (le:ListEntry) REQUIRE le.eid IS UNIQUE;
CREATE INDEX list_entry_uscc IF NOT EXISTS FOR (le:ListEntry) ON (le.uscc);
CREATE INDEX list_entry_list IF NOT EXISTS FOR (le:ListEntry) ON (le.list);
