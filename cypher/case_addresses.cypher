// The registered addresses with these keys, as text
// :params {keys: ["3f2a"]}
UNWIND $keys AS key
MATCH (a:Address {aid: key})
RETURN a.aid AS key, a.address AS address, a.region_code AS region_code,
       size([(a)<-[:REGISTERED_AT]-(:Enterprise) | 1]) AS firms
