// Licence data inconsistent with the registration (证照信息不一致): holder name, premises region or address differ
// :params {"today": "2026-06-30", "exclude_statuses": ["注销", "吊销", "迁出"]}
// id: R16
// title_zh: 证照信息与登记信息不一致
// severity: medium
// targets: licence_mismatch
// evidence: each licence in force that differs, and what differs (name, region, address)
// A licence in force is one issued by $today and not expired; a licence without a
// region or an address is compared on what it has. The screening field licence_mismatch
// (graph/screen_query.py) is this test without the status filter; the screening tests
// hold the two to the same firms, so change both together.
MATCH (e:Enterprise)-[:HAS_LICENCE]->(l:Licence)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND l.issued <= date($today)
  AND (l.valid_until IS NULL OR l.valid_until >= date($today))
WITH e, l, [(e)-[:REGISTERED_AT]->(a:Address) | a.aid] AS registered
WITH e, l,
     [d IN [CASE WHEN l.holder_name <> e.name THEN 'name' END,
            CASE WHEN l.region_code IS NOT NULL AND l.region_code <> e.region_code
                 THEN 'region' END,
            CASE WHEN l.aid IS NOT NULL AND size(registered) > 0 AND NOT l.aid IN registered
                 THEN 'address' END]
      WHERE d IS NOT NULL] AS differs
WHERE size(differs) > 0
WITH e, l, differs
ORDER BY l.lid
WITH e, collect(['licence:' + l.lid] + [d IN differs | 'differs:' + d]) AS found
RETURN e.uscc AS subject, reduce(acc = [], items IN found | acc + items) AS evidence
