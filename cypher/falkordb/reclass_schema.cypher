// Monthly re-classification indexes: the month of assessments and of the change feed's records, class shares and runs
// :params {}
CREATE INDEX FOR (a:RiskAssessment) ON (a.month);
CREATE INDEX FOR (a:RiskAssessment) ON (a.feed_month);
CREATE INDEX FOR (s:ClassShare) ON (s.month);
CREATE INDEX FOR (r:Reclassification) ON (r.month);
