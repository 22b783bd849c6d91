// Monthly re-classification: delete the run record of $month (first, so that a failed rerun leaves the month unfinished)
// :params {month: "2026-06"}
MATCH (r:Reclassification)
WHERE r.month = $month
DELETE r
RETURN count(*) AS deleted
