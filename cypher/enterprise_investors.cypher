// Shareholders (persons and enterprises) of one enterprise
// :params {uscc: "91110108123456788E", limit: 500}
MATCH (i)-[r:INVESTS_IN|SHAREHOLDER_OF]->(e:Enterprise {uscc: $uscc})
RETURN labels(i) AS labels, i.pid AS pid, i.uscc AS uscc, i.name AS name,
       r.ratio AS ratio, r.amount AS amount, r.since AS since
ORDER BY ratio DESC, uscc, pid
LIMIT $limit
