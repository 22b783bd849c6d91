// Calibration: per class of each inspected enterprise's previous assessment, enterprises inspected since it and those with findings
// :params {previous: "2026-06", month: "2026-07", start: "2026-07-01", failed: "不合格"}
MATCH (e:Enterprise)-[:HAS_INSPECTION]->(r:InspectionRecord)
WHERE r.date < date($start)
WITH DISTINCT e
MATCH (e)-[:HAS_ASSESSMENT]->(a:RiskAssessment)
WHERE a.month = $previous OR (a.date < date($start) AND (a.month IS NULL OR a.month < $month))
WITH e, a
ORDER BY e.uscc, CASE WHEN a.month = $previous THEN 1 ELSE 0 END DESC, a.scored_at DESC
WITH e, collect(a) AS found
WITH e, found[0] AS a
WITH e, a.risk_class AS risk_class,
     CASE WHEN a.month = $previous THEN date($previous + '-01') ELSE a.date END AS since
MATCH (e)-[:HAS_INSPECTION]->(r:InspectionRecord)
WHERE r.date >= since AND r.date < date($start)
WITH risk_class, e, sum(CASE WHEN r.result = $failed THEN 1 ELSE 0 END) AS failures
RETURN risk_class, count(e) AS inspected,
       sum(CASE WHEN failures > 0 THEN 1 ELSE 0 END) AS with_findings
ORDER BY risk_class
