// Paid-in capital far above the registered capital (实缴资本异常高于注册资本)
// :params {"today": "2026-06-30", "min_ratio": 1.5, "min_capital": 1.0, "exclude_statuses": ["注销", "迁出"]}
// id: R22
// title_zh: 实缴资本远超注册资本
// severity: low
// targets: paid_in_excess
// evidence: the registered and paid-in capital (万元)
// Paid-in capital above subscribed capital is a data error or false reporting; either way
// the registration needs checking.
MATCH (e:Enterprise)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND e.registered_capital >= $min_capital
  AND e.paid_in_capital > $min_ratio * e.registered_capital
  AND e.established <= date($today)
RETURN e.uscc AS subject,
       ['registered_capital:' + toString(e.registered_capital),
        'paid_in_capital:' + toString(e.paid_in_capital)] AS evidence
