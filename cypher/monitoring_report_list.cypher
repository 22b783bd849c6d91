// Months with a model monitoring report, newest first, one page
// :params {skip: 0, limit: 50}
MATCH (m:MonitoringReport)
RETURN m.month AS month, m.model_version AS model_version, m.created_at AS created_at,
       m.level AS level
ORDER BY month DESC
SKIP $skip
LIMIT $limit
