// A count the screening counters depend on: REGISTERED_AT relationships (a lone count of a type is answered from the engines' statistics)
// :params {}
MATCH ()-[r:REGISTERED_AT]->()
RETURN count(r) AS n
