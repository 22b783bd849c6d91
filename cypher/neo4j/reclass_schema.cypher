// Monthly re-classification indexes: the month of assessments, changes, class shares and runs
// :params {}
CREATE INDEX risk_assessment_month IF NOT EXISTS FOR (a:RiskAssessment) ON (a.month);
CREATE INDEX class_change_month IF NOT EXISTS FOR (c:ClassChange) ON (c.month);
CREATE INDEX class_change_uscc IF NOT EXISTS FOR (c:ClassChange) ON (c.uscc);
CREATE INDEX class_share_month IF NOT EXISTS FOR (s:ClassShare) ON (s.month);
CREATE CONSTRAINT reclassification_month IF NOT EXISTS FOR (r:Reclassification) REQUIRE r.month IS UNIQUE;
