// Monthly re-classification: delete up to $limit risk assessments of $month (a rerun replaces them); call until 0
// :params {month: "2026-06", limit: 200000}
MATCH (a:RiskAssessment)
WHERE a.month = $month
WITH a LIMIT $limit
DETACH DELETE a
RETURN count(*) AS deleted
