// Saved-view indexes: the view id, the owner, and the note id
// :params {}
CREATE INDEX FOR (v:SavedView) ON (v.vid);
CREATE INDEX FOR (v:SavedView) ON (v.owner);
CREATE INDEX FOR (n:ViewNote) ON (n.nid);
