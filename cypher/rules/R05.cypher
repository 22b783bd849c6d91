// Registered capital still entirely unpaid years after establishment
// :params {"today": "2026-06-30", "years": 5, "min_capital": 100.0, "org_types": ["有限责任公司", "股份有限公司"], "exclude_statuses": ["注销", "吊销", "迁出"]}
// id: R05
// title_zh: 注册资本长期未实缴
// severity: low
// evidence: the establishment date
MATCH (e:Enterprise)
WHERE e.org_type IN $org_types
  AND NOT coalesce(e.status, '') IN $exclude_statuses
  AND coalesce(e.paid_in_capital, 0.0) <= 0.0
  AND e.registered_capital >= $min_capital
  AND e.established <= date($today) - duration({years: $years})
RETURN e.uscc AS subject, ['established:' + toString(e.established)] AS evidence
