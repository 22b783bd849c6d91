// Credit repair counts: applications by month received, status and month decided
// :params {}
MATCH (r:RepairApplication)
RETURN r.applied_month AS applied_month, r.status AS status, r.decided_month AS decided_month,
       count(r) AS n
ORDER BY applied_month, status, decided_month
