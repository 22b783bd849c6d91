// Deregistered firm followed by a new one at the same address with the same legal representative
// :params {"today": "2026-06-30", "deregistered_status": "注销", "exclude_statuses": ["注销", "迁出"]}
// id: R08
// title_zh: 注销后原址原法定代表人另设新企业
// severity: high
// evidence: the deregistered firm, the legal representative and the address
MATCH (p:Person)-[:LEGAL_REP_OF]->(old:Enterprise)-[:REGISTERED_AT]->(a:Address),
      (p)-[r:LEGAL_REP_OF]->(new:Enterprise)-[:REGISTERED_AT]->(a)
WHERE old.status = $deregistered_status
  AND NOT coalesce(new.status, '') IN $exclude_statuses
  AND new <> old
  AND new.established > old.established
  AND new.established <= date($today)
  AND (r.until IS NULL OR r.until > date($today))
WITH new, p, a, collect(DISTINCT old.uscc) AS predecessors
RETURN new.uscc AS subject,
       ['legal_rep:' + p.pid, 'address:' + a.aid] + [u IN predecessors | 'deregistered:' + u]
         AS evidence
