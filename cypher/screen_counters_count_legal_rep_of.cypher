// A count the screening counters depend on: LEGAL_REP_OF relationships (a lone count of a type is answered from the engines' statistics)
// :params {}
MATCH ()-[r:LEGAL_REP_OF]->()
RETURN count(r) AS n
