// A count the screening counters depend on: BRANCH_OF relationships (a lone count of a type is answered from the engines' statistics)
// :params {}
MATCH ()-[r:BRANCH_OF]->()
RETURN count(r) AS n
