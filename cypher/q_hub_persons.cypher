// Hub persons (一人多企): persons who are legal representative or officer of at least min_firms enterprises
// :params {min_firms: 10, limit: 50}
// Persons with fewer links than min_firms are dropped before the per-firm grouping (cheap pre-filter).
MATCH (p:Person)-[r:LEGAL_REP_OF|HOLDS_POSITION]->(:Enterprise)
WITH p, count(r) AS links
WHERE links >= $min_firms
MATCH (p)-[r:LEGAL_REP_OF|HOLDS_POSITION]->(e:Enterprise)
WITH p, e, collect(type(r)) AS types
WITH p, count(e) AS firms,
     count(CASE WHEN 'LEGAL_REP_OF' IN types THEN 1 END) AS legal_rep_of,
     count(CASE WHEN 'HOLDS_POSITION' IN types THEN 1 END) AS officer_of,
     count(CASE WHEN coalesce(e.risk_class, e.label_class) IN ['C', 'D'] THEN 1 END) AS risky_firms
WHERE firms >= $min_firms
RETURN p AS person, firms, legal_rep_of, officer_of, risky_firms
ORDER BY firms DESC, risky_firms DESC, p.pid
LIMIT $limit
