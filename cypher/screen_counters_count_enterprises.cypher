// A count the screening counters depend on: enterprises (a lone count of a label is answered from the engines' statistics)
// :params {}
MATCH (e:Enterprise)
RETURN count(e) AS n
