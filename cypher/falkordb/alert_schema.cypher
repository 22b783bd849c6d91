// Alert indexes: the alert key, the rule and subject lookups
// :params {}
CREATE INDEX FOR (a:Alert) ON (a.key);
CREATE INDEX FOR (a:Alert) ON (a.rule);
CREATE INDEX FOR (a:Alert) ON (a.subject);
