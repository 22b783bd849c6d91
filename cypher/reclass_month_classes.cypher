// Monthly re-classification: one page of a month's classes in key order after $after (from its RiskAssessments)
// :params {month: "2026-05", after: "", limit: 100000}
MATCH (a:RiskAssessment)
WHERE a.month = $month AND a.uscc > $after
RETURN a.uscc AS key, a.risk_class AS class
ORDER BY key
LIMIT $limit
