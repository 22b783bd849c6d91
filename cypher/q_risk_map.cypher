// Risk map (风险地图): enterprises per region (code prefix of the given width) and industry section, counted per risk class
// :params {width: 6, prefix: "5101"}
MATCH (e:Enterprise)
WHERE e.region_code STARTS WITH $prefix
WITH substring(e.region_code, 0, $width) AS region, e.industry_section AS section,
     coalesce(e.risk_class, e.label_class) AS cls
RETURN region, section,
       count(CASE WHEN cls = 'A' THEN 1 END) AS a,
       count(CASE WHEN cls = 'B' THEN 1 END) AS b,
       count(CASE WHEN cls = 'C' THEN 1 END) AS c,
       count(CASE WHEN cls = 'D' THEN 1 END) AS d,
       count(*) AS total
ORDER BY region, section
