// Firm in an industry barred in its region (区域禁入业态); the table is the $barred parameter
// :params {"today": "2026-06-30", "barred": [{"region_prefix": "510104", "industry_prefix": "B"}, {"region_prefix": "510105", "industry_prefix": "B"}, {"region_prefix": "510106", "industry_prefix": "B"}, {"region_prefix": "510107", "industry_prefix": "B"}, {"region_prefix": "510108", "industry_prefix": "B"}, {"region_prefix": "510104", "industry_prefix": "C30"}, {"region_prefix": "510105", "industry_prefix": "C30"}, {"region_prefix": "510106", "industry_prefix": "C30"}, {"region_prefix": "510107", "industry_prefix": "C30"}, {"region_prefix": "510108", "industry_prefix": "C30"}, {"region_prefix": "5101", "industry_prefix": "C25"}, {"region_prefix": "5101", "industry_prefix": "C26"}, {"region_prefix": "5101", "industry_prefix": "C31"}, {"region_prefix": "5101", "industry_prefix": "C32"}], "exclude_statuses": ["注销", "吊销", "迁出"]}
// id: R12
// title_zh: 区域禁入业态
// severity: high
// evidence: the region and industry codes and the table entries they match
MATCH (e:Enterprise)
WHERE NOT coalesce(e.status, '') IN $exclude_statuses
  AND e.region_code IS NOT NULL AND e.industry_code IS NOT NULL
WITH e, [b IN $barred
         WHERE e.region_code STARTS WITH b.region_prefix
           AND e.industry_code STARTS WITH b.industry_prefix] AS hits
WHERE size(hits) > 0
RETURN e.uscc AS subject,
       ['region:' + e.region_code, 'industry:' + e.industry_code]
       + [b IN hits | 'barred:' + b.region_prefix + '/' + b.industry_prefix] AS evidence
