// Risk assessments of one enterprise, newest first (a null row when it has none)
// :params {uscc: "91110108123456788E", limit: 100}
MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment)
RETURN a.risk_class AS risk_class, a.risk_score AS risk_score,
       a.p_A AS p_A, a.p_B AS p_B, a.p_C AS p_C, a.p_D AS p_D,
       a.model_version AS model_version, a.scored_at AS scored_at
ORDER BY scored_at DESC
LIMIT $limit
