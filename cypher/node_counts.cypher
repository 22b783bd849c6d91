// Node counts per label
// :params {}
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
