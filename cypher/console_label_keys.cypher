// Property keys held by a sample of the nodes with one label, and how many of the sample hold each (the console's schema)
// :params {label: "Enterprise", sample: 500}
MATCH (n)
WHERE $label IN labels(n)
WITH n LIMIT $sample
WITH collect(n) AS nodes
UNWIND nodes AS n
UNWIND keys(n) AS key
RETURN key, count(*) AS count, size(nodes) AS sampled
