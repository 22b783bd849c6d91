// Cluster-registration address (集群注册) where abnormal listings concentrate
// :params {"today": "2026-06-30", "min_firms": 30, "min_abnormal_share": 0.2, "abnormal_kind": "经营异常名录", "active_status": "有效", "exclude_statuses": ["注销", "迁出"]}
// id: R01
// title_zh: 集群注册地址异常名录集中
// severity: medium
// targets: address_hotspot
// evidence: the address, how many firms it hosts and how many are listed abnormal
MATCH (a:Address)<-[:REGISTERED_AT]-(e:Enterprise)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
WITH a, collect(e) AS firms
WHERE size(firms) >= $min_firms
UNWIND firms AS e
WITH a, firms, e,
     [(e)-[:HAS_VIOLATION]->(v:Violation)
      WHERE v.kind = $abnormal_kind AND v.status = $active_status
        AND v.date <= date($today) | v.vid] AS listings
WITH a, firms, count(CASE WHEN size(listings) > 0 THEN e END) AS abnormal
WHERE toFloat(abnormal) >= $min_abnormal_share * size(firms)
UNWIND firms AS e
RETURN e.uscc AS subject,
       ['address:' + a.aid, 'firms:' + toString(size(firms)),
        'abnormal:' + toString(abnormal)] AS evidence
