// Monthly re-classification: write classes onto enterprises found by internal id, with a RiskAssessment of the month (and its feed fields)
// :params {model_version: "v20260101T000000Z-s0", scored_at: "2026-06-01T00:00:00.000Z", scored_on: "2026-06-01", month: "2026-06", rows: [{id: 12, key: "91110108123456788E", class: "B", risk_score: 0.12, probs: {p_A: 0.3, p_B: 0.58, p_C: 0.1, p_D: 0.02}, feed: {}}]}
// FalkorDB only: the ids come from the id-window export; as gnn_write_scores_by_id, the id is a plain
// variable and the key check one the key index cannot answer.
UNWIND $rows AS row
WITH row, row.id AS node_id
MATCH (e:Enterprise)
WHERE id(e) = node_id
WITH row, e
WHERE toString(e.uscc) = row.key
SET e += row.probs, e.risk_class = row.class, e.risk_score = row.risk_score,
    e.model_version = $model_version, e.scored_at = $scored_at,
    e.reclass_month = $month, e.reclass_class = row.class
CREATE (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment {model_version: $model_version, scored_at: $scored_at, month: $month, uscc: row.key})
SET a += row.probs, a += row.feed, a.risk_class = row.class, a.risk_score = row.risk_score, a.date = date($scored_on)
RETURN count(a) AS written
