// Credit repair queue: applications filtered by status, firm class and month (null = any), C and D firms first, then oldest
// :params {status: "submitted", class: null, month: null, skip: 0, limit: 50}
MATCH (e:Enterprise)-[:HAS_REPAIR]->(r:RepairApplication)
WITH e, r, coalesce(e.risk_class, e.label_class) AS class
WHERE ($status IS NULL OR r.status = $status)
  AND ($class IS NULL OR class = $class)
  AND ($month IS NULL OR r.applied_month = $month)
WITH e, r, class, CASE WHEN class IN ['C', 'D'] THEN 0 ELSE 1 END AS priority
RETURN properties(r) AS repair, e.name AS name, class
ORDER BY priority, r.applied_at, r.rid
SKIP $skip
LIMIT $limit
