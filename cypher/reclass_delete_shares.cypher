// Monthly re-classification: delete the class shares of $month (a rerun replaces them)
// :params {month: "2026-06"}
MATCH (s:ClassShare)
WHERE s.month = $month
DELETE s
RETURN count(*) AS deleted
