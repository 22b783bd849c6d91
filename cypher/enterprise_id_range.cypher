// The range of enterprises' internal ids, for engines that page by id windows (graph/paging.py)
// :params {}
MATCH (e:Enterprise)
RETURN min(id(e)) AS low, max(id(e)) AS high, count(e) AS enterprises
