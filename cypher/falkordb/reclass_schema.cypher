// Monthly re-classification indexes: the month of assessments, changes, class shares and runs
// :params {}
CREATE INDEX FOR (a:RiskAssessment) ON (a.month);
CREATE INDEX FOR (c:ClassChange) ON (c.month);
CREATE INDEX FOR (c:ClassChange) ON (c.uscc);
CREATE INDEX FOR (s:ClassShare) ON (s.month);
CREATE INDEX FOR (r:Reclassification) ON (r.month);
