// Model monitoring index: one report per month
// :params {}
CREATE INDEX FOR (m:MonitoringReport) ON (m.month);
