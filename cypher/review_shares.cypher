// Regional and industry review: the stored class counts of one dimension and entity kind in the months listed
// :params {months: ["2026-05", "2026-06"], dimension: "city", kind: "all"}
MATCH (s:ClassShare)
WHERE s.month IN $months AND s.dimension = $dimension AND s.kind = $kind
RETURN s.month AS month, s.value AS value, s.A AS A, s.B AS B, s.C AS C, s.D AS D, s.total AS total
ORDER BY month, value
