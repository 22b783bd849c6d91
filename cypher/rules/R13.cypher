// Legal representative also heads a firm on the serious-violation list (严重违法失信)
// :params {"today": "2026-06-30", "years": 3, "listing_kind": "严重违法失信", "active_status": "有效", "exclude_statuses": ["注销", "迁出"]}
// id: R13
// title_zh: 法定代表人关联严重违法失信企业
// severity: high
// evidence: the legal representative and the listed firms
MATCH (p:Person)-[r:LEGAL_REP_OF]->(e:Enterprise),
      (p)-[:LEGAL_REP_OF]->(d:Enterprise)-[:HAS_VIOLATION]->(v:Violation)
WHERE e <> d
  AND (r.until IS NULL OR r.until > date($today))
  AND NOT coalesce(e.status, '') IN $exclude_statuses
  AND v.kind = $listing_kind AND v.status = $active_status
  AND v.date > date($today) - duration({years: $years}) AND v.date <= date($today)
WITH e, p, collect(DISTINCT d.uscc) AS listed
RETURN e.uscc AS subject, ['legal_rep:' + p.pid] + [u IN listed | 'listed:' + u] AS evidence
