// The counts the screening counters depend on: enterprises and the structural relationships
// :params {}
MATCH (e:Enterprise) RETURN 'Enterprise' AS part, count(e) AS n
UNION ALL
MATCH ()-[r:REGISTERED_AT]->() RETURN 'REGISTERED_AT' AS part, count(r) AS n
UNION ALL
MATCH ()-[r:LEGAL_REP_OF]->() RETURN 'LEGAL_REP_OF' AS part, count(r) AS n
UNION ALL
MATCH ()-[r:INVESTS_IN]->() RETURN 'INVESTS_IN' AS part, count(r) AS n
UNION ALL
MATCH ()-[r:BRANCH_OF]->() RETURN 'BRANCH_OF' AS part, count(r) AS n
