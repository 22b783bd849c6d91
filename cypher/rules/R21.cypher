// Branch still operating while its head office's licence is revoked (吊销)
// :params {"today": "2026-06-30", "revoked_status": "吊销", "operating_statuses": ["存续", "在业"]}
// id: R21
// title_zh: 总公司已被吊销营业执照的分支机构仍在经营
// severity: high
// targets: revoked_parent_branch
// evidence: the revoked head office
MATCH (b:Enterprise)-[:BRANCH_OF]->(p:Enterprise)
WHERE p.status = $revoked_status
  AND b.status IN $operating_statuses
  AND b.established <= date($today)
RETURN b.uscc AS subject, ['parent:' + p.uscc, 'parent_status:' + p.status] AS evidence
