// Every investor of the firm is an enterprise on the abnormal-operation list (经营异常名录, in force)
// :params {"today": "2026-06-30", "min_investors": 2, "abnormal_kind": "经营异常名录", "active_status": "有效", "exclude_statuses": ["注销", "迁出"]}
// id: R20
// title_zh: 投资人均为列入经营异常名录企业
// severity: high
// targets: listed_investors
// evidence: the listed investors
// A natural person cannot be listed, so a firm with any natural-person investor is not flagged.
MATCH (h:Enterprise)-[:INVESTS_IN]->(e:Enterprise)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
WITH e, h,
     size([(h)-[:HAS_VIOLATION]->(v:Violation)
           WHERE v.kind = $abnormal_kind AND v.status = $active_status
             AND v.date <= date($today) | v.vid]) > 0 AS listed
WITH e, collect(DISTINCT h.uscc) AS holders,
     collect(DISTINCT CASE WHEN listed THEN h.uscc END) AS listed
WHERE size(holders) >= $min_investors AND size(listed) = size(holders)
WITH e, listed, size([(x:Person)-[:INVESTS_IN]->(e) | x.pid]) AS persons
WHERE persons = 0
RETURN e.uscc AS subject, [u IN listed | 'listed_investor:' + u] AS evidence
