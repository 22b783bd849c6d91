// Upsert company-to-company business links the core model has no type for (LOAN, DEAL, RENT, CREDITOR)
// :params {run_id: "r1", rows: [{src: "C0001", dst: "C0002", type: "LOAN", weight: 1.0}]}
UNWIND $rows AS row
MATCH (s:Enterprise {uscc: row.src})
MATCH (d:Enterprise {uscc: row.dst})
FOREACH (_ IN CASE WHEN row.type = 'LOAN' THEN [1] ELSE [] END |
  MERGE (s)-[r:LOAN]->(d) SET r.weight = row.weight, r.lastupdated = $run_id)
FOREACH (_ IN CASE WHEN row.type = 'DEAL' THEN [1] ELSE [] END |
  MERGE (s)-[r:DEAL]->(d) SET r.weight = row.weight, r.lastupdated = $run_id)
FOREACH (_ IN CASE WHEN row.type = 'RENT' THEN [1] ELSE [] END |
  MERGE (s)-[r:RENT]->(d) SET r.weight = row.weight, r.lastupdated = $run_id)
FOREACH (_ IN CASE WHEN row.type = 'CREDITOR' THEN [1] ELSE [] END |
  MERGE (s)-[r:CREDITOR]->(d) SET r.weight = row.weight, r.lastupdated = $run_id)
