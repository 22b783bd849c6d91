// Alert indexes: a uniqueness constraint on the alert key, the rule and subject lookups
// :params {}
CREATE CONSTRAINT alert_key IF NOT EXISTS FOR (a:Alert) REQUIRE a.key IS UNIQUE;
CREATE INDEX alert_rule IF NOT EXISTS FOR (a:Alert) ON (a.rule);
CREATE INDEX alert_subject IF NOT EXISTS FOR (a:Alert) ON (a.subject);
