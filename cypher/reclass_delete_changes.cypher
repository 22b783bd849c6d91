// Monthly re-classification: delete up to $limit class changes of $month (a rerun replaces them); call until 0
// :params {month: "2026-06", limit: 200000}
MATCH (c:ClassChange)
WHERE c.month = $month
WITH c LIMIT $limit
DELETE c
RETURN count(*) AS deleted
