// Monthly re-classification indexes: the month of assessments and of the change feed's records, class shares and runs
// :params {}
CREATE INDEX risk_assessment_month IF NOT EXISTS FOR (a:RiskAssessment) ON (a.month);
CREATE INDEX risk_assessment_feed_month IF NOT EXISTS FOR (a:RiskAssessment) ON (a.feed_month);
CREATE INDEX class_share_month IF NOT EXISTS FOR (s:ClassShare) ON (s.month);
CREATE CONSTRAINT reclassification_month IF NOT EXISTS FOR (r:Reclassification) REQUIRE r.month IS UNIQUE;
