// Delete up to $limit risk assessments dated before $before (history retention); call until 0
// :params {before: "2024-01-01", limit: 50000}
MATCH (a:RiskAssessment)
WHERE a.date < date($before)
WITH a LIMIT $limit
DETACH DELETE a
RETURN count(*) AS deleted
