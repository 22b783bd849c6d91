// A count the screening counters depend on: INVESTS_IN relationships (a lone count of a type is answered from the engines' statistics)
// :params {}
MATCH ()-[r:INVESTS_IN]->()
RETURN count(r) AS n
