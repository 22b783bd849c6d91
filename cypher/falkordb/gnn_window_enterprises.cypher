// Risk model export: the enterprises of one internal-id window, column by column
// :params {after: -1, until: 20000}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
// One row: `ids` packs the internal ids; each attribute comes as the list of its non-null values
// (collect skips nulls) and `<name>_present`, one '1' or '0' per enterprise, says where they go.
// Columns are half the server's work of one row per enterprise.
MATCH (e:Enterprise)
WHERE id(e) > $after AND id(e) <= $until
RETURN string.join(collect(toString(id(e))), ' ') AS ids,
       collect(e.uscc) AS key,
       string.join(collect(CASE WHEN e.uscc IS NULL THEN '0' ELSE '1' END), '') AS key_present,
       collect(e.org_type) AS org_type,
       string.join(collect(CASE WHEN e.org_type IS NULL THEN '0' ELSE '1' END), '') AS org_type_present,
       collect(e.status) AS status,
       string.join(collect(CASE WHEN e.status IS NULL THEN '0' ELSE '1' END), '') AS status_present,
       collect(e.established) AS established,
       string.join(collect(CASE WHEN e.established IS NULL THEN '0' ELSE '1' END), '') AS established_present,
       collect(e.registered_capital) AS registered_capital,
       string.join(collect(CASE WHEN e.registered_capital IS NULL THEN '0' ELSE '1' END), '') AS registered_capital_present,
       collect(e.paid_in_capital) AS paid_in_capital,
       string.join(collect(CASE WHEN e.paid_in_capital IS NULL THEN '0' ELSE '1' END), '') AS paid_in_capital_present,
       collect(e.industry_section) AS industry_section,
       string.join(collect(CASE WHEN e.industry_section IS NULL THEN '0' ELSE '1' END), '') AS industry_section_present,
       collect(e.industry_name) AS industry_name,
       string.join(collect(CASE WHEN e.industry_name IS NULL THEN '0' ELSE '1' END), '') AS industry_name_present,
       collect(e.region_code) AS region_code,
       string.join(collect(CASE WHEN e.region_code IS NULL THEN '0' ELSE '1' END), '') AS region_code_present,
       collect(e.area) AS area,
       string.join(collect(CASE WHEN e.area IS NULL THEN '0' ELSE '1' END), '') AS area_present,
       collect(e.setup_months) AS setup_months,
       string.join(collect(CASE WHEN e.setup_months IS NULL THEN '0' ELSE '1' END), '') AS setup_months_present,
       collect(e.split) AS split,
       string.join(collect(CASE WHEN e.split IS NULL THEN '0' ELSE '1' END), '') AS split_present,
       collect(e.label) AS label,
       string.join(collect(CASE WHEN e.label IS NULL THEN '0' ELSE '1' END), '') AS label_present,
       collect(e.label_class) AS label_class,
       string.join(collect(CASE WHEN e.label_class IS NULL THEN '0' ELSE '1' END), '') AS label_class_present,
       collect(e.reclass_month) AS reclass_month,
       string.join(collect(CASE WHEN e.reclass_month IS NULL THEN '0' ELSE '1' END), '') AS reclass_month_present,
       collect(e.reclass_class) AS reclass_class,
       string.join(collect(CASE WHEN e.reclass_class IS NULL THEN '0' ELSE '1' END), '') AS reclass_class_present
