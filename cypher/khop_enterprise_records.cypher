// Neighbourhood export: the records of these enterprises, as the risk model's export reads them
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS key, e.org_type AS org_type, e.status AS status, e.established AS established,
       e.registered_capital AS registered_capital, e.paid_in_capital AS paid_in_capital,
       e.industry_section AS industry_section,
       e.industry_name AS industry_name, e.region_code AS region_code, e.area AS area,
       e.setup_months AS setup_months, e.split AS split, e.label AS label,
       e.label_class AS label_class
