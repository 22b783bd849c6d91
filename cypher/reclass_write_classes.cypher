// Monthly re-classification: write each enterprise's class and append a RiskAssessment of the month (a record of the change feed when row.feed names the month)
// :params {model_version: "v20260101T000000Z-s0", scored_at: "2026-06-01T00:00:00.000Z", scored_on: "2026-06-01", month: "2026-06", rows: [{key: "91110108123456788E", class: "B", risk_score: 0.12, probs: {p_A: 0.3, p_B: 0.58, p_C: 0.1, p_D: 0.02}, feed: {feed_month: "2026-06", previous: "A", region_code: "510107", industry_section: "I", kind: "enterprise"}}]}
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.key})
SET e += row.probs, e.risk_class = row.class, e.risk_score = row.risk_score,
    e.model_version = $model_version, e.scored_at = $scored_at,
    e.reclass_month = $month, e.reclass_class = row.class
CREATE (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment {model_version: $model_version, scored_at: $scored_at, month: $month, uscc: row.key})
SET a += row.probs, a += row.feed, a.risk_class = row.class, a.risk_score = row.risk_score, a.date = date($scored_on)
RETURN count(a) AS written
