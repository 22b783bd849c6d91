// One page of enterprises in key order with their latest assessment scored before $before
// :params {after: "", before: "2026-01-02", model: null, limit: 2000}
MATCH (e:Enterprise)
WHERE e.uscc > $after
WITH e
ORDER BY e.uscc
LIMIT $limit
OPTIONAL MATCH (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment)
WHERE a.scored_at < $before AND ($model IS NULL OR a.model_version = $model)
WITH e, a
ORDER BY e.uscc, a.scored_at DESC
WITH e, collect(a) AS history
WITH e, history[0] AS a
RETURN e.uscc AS uscc, e.name AS name, a.risk_class AS risk_class,
       a.risk_score AS risk_score, a.p_A AS p_A, a.p_B AS p_B, a.p_C AS p_C, a.p_D AS p_D,
       a.model_version AS model_version, a.scored_at AS scored_at
ORDER BY uscc
