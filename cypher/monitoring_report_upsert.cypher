// Store (or replace) the model monitoring report of one month
// :params {month: "2026-07", model_version: "v20260101T000000Z-s0", created_at: "2026-07-01T09:00:00Z", level: "stable", json: "{}"}
MERGE (m:MonitoringReport {month: $month})
SET m.model_version = $model_version, m.created_at = $created_at, m.level = $level,
    m.json = $json
RETURN m.month AS month
