// Model monitoring constraint: one report per month
// :params {}
CREATE CONSTRAINT monitoring_report_month IF NOT EXISTS FOR (m:MonitoringReport) REQUIRE m.month IS UNIQUE;
