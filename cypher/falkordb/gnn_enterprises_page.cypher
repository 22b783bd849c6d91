// Risk model export: the enterprises of one internal-id window (see graph/paging.py)
// :params {after: -1, until: 20000, limit: 5000}
// FalkorDB sorts all the remaining nodes for ORDER BY … LIMIT; an id window is a seek.
MATCH (e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN id(e) AS cursor, e.uscc AS key, e.org_type AS org_type, e.status AS status, e.established AS established,
       e.registered_capital AS registered_capital, e.paid_in_capital AS paid_in_capital,
       e.industry_section AS industry_section,
       e.industry_name AS industry_name, e.region_code AS region_code, e.area AS area,
       e.setup_months AS setup_months, e.split AS split, e.label AS label,
       e.label_class AS label_class, e.reclass_month AS reclass_month,
       e.reclass_class AS reclass_class
