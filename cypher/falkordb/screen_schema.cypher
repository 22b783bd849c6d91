// Saved-screen indexes: the screen id and the owner
// :params {}
CREATE INDEX FOR (s:Screen) ON (s.sid);
CREATE INDEX FOR (s:Screen) ON (s.owner);
