// Inspection outcomes dated from $since (null: all), one page in record-id order, for training labels
// :params {since: "2026-01-01", after: "", limit: 10000}
MATCH (e:Enterprise)-[:HAS_INSPECTION]->(r:InspectionRecord)
WHERE r.rid > $after AND ($since IS NULL OR r.date >= date($since))
RETURN r.rid AS rid, e.uscc AS uscc, toString(r.date) AS date, r.result AS result
ORDER BY rid
LIMIT $limit
