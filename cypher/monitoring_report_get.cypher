// The model monitoring report of one month, or the latest when $month is null
// :params {month: "2026-07"}
MATCH (m:MonitoringReport)
WHERE $month IS NULL OR m.month = $month
RETURN m.month AS month, m.model_version AS model_version, m.created_at AS created_at,
       m.level AS level, m.json AS json
ORDER BY month DESC
LIMIT 1
