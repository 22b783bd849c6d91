// The enterprises of a saved view for its case report: name, USCC, class and score
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS uscc, e.name AS name, e.risk_class AS risk_class,
       e.label_class AS label_class, e.risk_score AS risk_score
ORDER BY coalesce(e.risk_score, -1.0) DESC, uscc
