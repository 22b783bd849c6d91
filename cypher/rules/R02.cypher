// Shell-company ring: one legal representative of many non-group firms registered within a few months
// :params {"today": "2026-06-30", "min_firms": 5, "months": 6, "lookback_years": 5, "min_group_ratio": 0.0, "exclude_statuses": ["注销", "迁出"]}
// id: R02
// title_zh: 同一法定代表人短期内集中注册多家企业（空壳公司群）
// severity: high
// targets: shell_ring
// evidence: the legal representative and the firms registered in the window
// Firms held by an enterprise shareholder are left out: groups register subsidiaries in batches.
MATCH (p:Person)-[r:LEGAL_REP_OF]->(e:Enterprise)
WHERE (r.until IS NULL OR r.until > date($today))
  AND NOT coalesce(e.status, '') IN $exclude_statuses
  AND e.established > date($today) - duration({years: $lookback_years})
WITH p, e,
     [(h:Enterprise)-[s:INVESTS_IN]->(e) WHERE coalesce(s.ratio, 0.0) >= $min_group_ratio | h.uscc]
       AS holders
WHERE size(holders) = 0
WITH p, collect(e) AS firms
WHERE size(firms) >= $min_firms
UNWIND firms AS e
WITH p, [f IN firms
         WHERE f.established >= e.established
           AND f.established < e.established + duration({months: $months})] AS window
WHERE size(window) >= $min_firms
UNWIND window AS f
UNWIND window AS g
WITH p, f, collect(DISTINCT g.uscc) AS peers
RETURN f.uscc AS subject, ['legal_rep:' + p.pid] + [u IN peers | 'firm:' + u] AS evidence
