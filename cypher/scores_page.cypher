// One page of current risk results in key order, after the key $after
// :params {after: "", model: null, limit: 2000}
MATCH (e:Enterprise)
WHERE e.uscc > $after AND e.risk_class IS NOT NULL
  AND ($model IS NULL OR e.model_version = $model)
RETURN e.uscc AS uscc, e.name AS name, e.risk_class AS risk_class,
       e.risk_score AS risk_score, e.p_A AS p_A, e.p_B AS p_B, e.p_C AS p_C, e.p_D AS p_D,
       e.model_version AS model_version, e.scored_at AS scored_at
ORDER BY uscc
LIMIT $limit
