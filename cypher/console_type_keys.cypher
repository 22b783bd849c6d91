// Property keys held by a sample of the relationships of one type, and how many of the sample hold each (the console's schema)
// :params {type: "INVESTS_IN", sample: 500}
MATCH ()-[r]->()
WHERE type(r) = $type
WITH r LIMIT $sample
WITH collect(r) AS rels
UNWIND rels AS r
UNWIND keys(r) AS key
RETURN key, count(*) AS count, size(rels) AS sampled
