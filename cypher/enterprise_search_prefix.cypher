// Enterprises whose name starts with $prefix
// :params {prefix: "示例", skip: 0, limit: 20}
MATCH (e:Enterprise)
WHERE e.name STARTS WITH $prefix
RETURN e
ORDER BY e.name, e.uscc
SKIP $skip
LIMIT $limit
