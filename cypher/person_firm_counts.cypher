// How many firms each of these persons is linked to (legal representative, officer or investor)
// :params {pids: ["9c1e…"]}
UNWIND $pids AS pid
MATCH (p:Person {pid: pid})
OPTIONAL MATCH (p)-[:LEGAL_REP_OF|HOLDS_POSITION|INVESTS_IN]->(e:Enterprise)
RETURN pid, count(DISTINCT e) AS firms
