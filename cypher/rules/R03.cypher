// Firms on the abnormal-operation list (经营异常名录, in force) sharing a legal representative
// :params {"today": "2026-06-30", "min_firms": 2, "abnormal_kind": "经营异常名录", "active_status": "有效", "exclude_statuses": ["注销", "迁出"]}
// id: R03
// title_zh: 多家列入经营异常名录企业共用法定代表人
// severity: high
// evidence: the legal representative and the listed firms
MATCH (p:Person)-[r:LEGAL_REP_OF]->(e:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE (r.until IS NULL OR r.until > date($today))
  AND NOT coalesce(e.status, '') IN $exclude_statuses
  AND v.kind = $abnormal_kind AND v.status = $active_status AND v.date <= date($today)
WITH p, collect(DISTINCT e.uscc) AS listed
WHERE size(listed) >= $min_firms
UNWIND listed AS subject
RETURN subject, ['legal_rep:' + p.pid] + [u IN listed | 'firm:' + u] AS evidence
