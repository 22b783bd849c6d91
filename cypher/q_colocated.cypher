// Co-location (集群注册): enterprises registered at the same address as one enterprise, riskiest first, with the total per address
// :params {uscc: "91110108123456788E", offset: 0, limit: 50}
MATCH (e:Enterprise {uscc: $uscc})-[:REGISTERED_AT]->(a:Address)
OPTIONAL MATCH (a)<-[:REGISTERED_AT]-(o:Enterprise)
WHERE o <> e
WITH a, o
ORDER BY coalesce(o.risk_score, -1.0) DESC,
         CASE coalesce(o.risk_class, o.label_class)
           WHEN 'D' THEN 4 WHEN 'C' THEN 3 WHEN 'B' THEN 2 WHEN 'A' THEN 1 ELSE 0
         END DESC,
         o.uscc
WITH a, count(o) AS total, collect(o) AS others
RETURN a AS address, total, others[$offset..$offset + $limit] AS enterprises
ORDER BY address.aid
