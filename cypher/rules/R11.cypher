// Branch (分支机构) of a D-class enterprise
// :params {"today": "2026-06-30", "classes": ["D"], "exclude_statuses": ["注销", "迁出"]}
// id: R11
// title_zh: 高风险（D类）企业的分支机构
// severity: medium
// evidence: the parent enterprise
MATCH (b:Enterprise)-[:BRANCH_OF]->(p:Enterprise)
WHERE coalesce(p.risk_class, p.label_class) IN $classes
  AND NOT coalesce(b.status, '') IN $exclude_statuses
  AND NOT coalesce(b.risk_class, b.label_class, '') IN $classes
RETURN b.uscc AS subject, ['parent:' + p.uscc] AS evidence
