// Saved-view constraints and indexes: view and note ids are unique, owners are looked up
// :params {}
CREATE CONSTRAINT saved_view_vid IF NOT EXISTS FOR (v:SavedView) REQUIRE v.vid IS UNIQUE;
CREATE INDEX saved_view_owner IF NOT EXISTS FOR (v:SavedView) ON (v.owner);
CREATE CONSTRAINT view_note_nid IF NOT EXISTS FOR (n:ViewNote) REQUIRE n.nid IS UNIQUE;
