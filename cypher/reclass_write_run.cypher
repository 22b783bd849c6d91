// Monthly re-classification: record the run of $month (written last: a month without it did not finish)
// :params {month: "2026-06", props: {model_version: "v1", started_at: "2026-06-01T00:00:00.000Z", finished_at: "2026-06-01T00:04:00.000Z", scored: 3, changed: 1, class_counts: "{}", transitions: "{}"}}
CREATE (r:Reclassification {month: $month})
SET r += $props
RETURN r.month AS month
