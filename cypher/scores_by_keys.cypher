// Current risk results of the enterprises with these keys
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS uscc, e.name AS name, e.risk_class AS risk_class,
       e.risk_score AS risk_score, e.p_A AS p_A, e.p_B AS p_B, e.p_C AS p_C, e.p_D AS p_D,
       e.model_version AS model_version, e.scored_at AS scored_at
