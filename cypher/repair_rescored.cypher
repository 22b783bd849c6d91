// Credit repair: record the class after an approved repair and how it was re-scored
// :params {rid: "CR-20260701-3f2a9c1d", class_after: "B", rescore: "re-scored with v20260101T000000Z-s0", model_version: "v20260101T000000Z-s0"}
MATCH (r:RepairApplication {rid: $rid})
SET r.class_after = $class_after, r.rescore = $rescore, r.model_version = $model_version
RETURN r.rid AS rid
