// Inspection plan: one page of inspectable enterprises after a key with their risk class and org type
// :params {after: "", limit: 10000, statuses: ["存续", "在业"], include_unknown_status: true}
MATCH (e:Enterprise)
WHERE e.uscc > $after
  AND (e.status IN $statuses OR (e.status IS NULL AND $include_unknown_status))
RETURN e.uscc AS uscc, coalesce(e.risk_class, e.label_class) AS class, e.org_type AS org_type
ORDER BY uscc
LIMIT $limit
