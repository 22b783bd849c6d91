// Monthly re-classification runs, newest month first ($month null: all of them)
// :params {month: null, limit: 120}
MATCH (r:Reclassification)
WHERE $month IS NULL OR r.month = $month
RETURN properties(r) AS run
ORDER BY r.month DESC
LIMIT $limit
