// Enterprises per org type counted per risk class (risk_class, else label_class), optionally in a region; folded into kinds of market entity by the caller
// :params {prefix: "5101"}
MATCH (e:Enterprise)
WHERE e.region_code STARTS WITH $prefix
WITH e.org_type AS org_type, coalesce(e.risk_class, e.label_class) AS cls
RETURN org_type,
       count(CASE WHEN cls = 'A' THEN 1 END) AS a,
       count(CASE WHEN cls = 'B' THEN 1 END) AS b,
       count(CASE WHEN cls = 'C' THEN 1 END) AS c,
       count(CASE WHEN cls = 'D' THEN 1 END) AS d,
       count(*) AS total
