// Saved-screen constraints and indexes: screen ids are unique, owners are looked up
// :params {}
CREATE CONSTRAINT screen_sid IF NOT EXISTS FOR (s:Screen) REQUIRE s.sid IS UNIQUE;
CREATE INDEX screen_owner IF NOT EXISTS FOR (s:Screen) ON (s.owner);
