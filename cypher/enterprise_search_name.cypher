// Enterprises whose name equals $name
// :params {name: "示例科技有限公司", skip: 0, limit: 20}
MATCH (e:Enterprise {name: $name})
RETURN e
ORDER BY e.uscc
SKIP $skip
LIMIT $limit
