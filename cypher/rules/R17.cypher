// C- or D-class firm that has not filed last year's annual report (年报督促)
// :params {"today": "2026-06-30", "years_back": 1, "classes": ["C", "D"], "exclude_statuses": ["注销", "吊销", "迁出"]}
// id: R17
// title_zh: 较高及高风险（C、D类）企业未报送上年度年报
// severity: medium
// targets: annual_report_missed
// evidence: the report year and the firm's class
// A report counts as not filed when its row has no filing date, or one after $today.
// Firms with no row for the year are not flagged: absent rows are missing data, not a
// missed filing. Run after the 30 June deadline of the year after the report year.
MATCH (e:Enterprise)-[:HAS_ANNUAL_REPORT]->(r:AnnualReport)
WHERE r.year = date($today).year - $years_back
  AND (r.filed_on IS NULL OR r.filed_on > date($today))
  AND coalesce(e.risk_class, e.label_class) IN $classes
  AND NOT coalesce(e.status, '') IN $exclude_statuses
RETURN e.uscc AS subject,
       ['report_year:' + toString(r.year),
        'class:' + coalesce(e.risk_class, e.label_class)] AS evidence
