// An enterprise's risk assessments, newest first (scoring history)
// :params {key: "91110108123456788E", limit: 20}
MATCH (e:Enterprise {uscc: $key})-[:HAS_ASSESSMENT]->(a:RiskAssessment)
RETURN a.scored_at AS scored_at, a.date AS date, a.model_version AS model_version,
       a.risk_class AS risk_class, a.risk_score AS risk_score, properties(a) AS properties
ORDER BY scored_at DESC
LIMIT $limit
