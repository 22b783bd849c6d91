// New firm with a violation within months of its establishment
// :params {"today": "2026-06-30", "months": 6, "lookback_years": 3, "kinds": ["行政处罚", "严重违法失信", "抽查检查不合格", "经营异常名录"], "exclude_statuses": ["注销", "迁出"]}
// id: R06
// title_zh: 新设企业短期内即发生违法违规
// severity: medium
// evidence: the early violations
MATCH (e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND e.established > date($today) - duration({years: $lookback_years})
  AND v.kind IN $kinds
  AND v.date >= e.established
  AND v.date < e.established + duration({months: $months})
  AND v.date <= date($today)
WITH e, v
ORDER BY v.date, v.vid
WITH e, collect('violation:' + v.vid) AS early
RETURN e.uscc AS subject, early AS evidence
