// An alert's status changes, oldest first
// :params {key: "R02|91110108123456788E"}
MATCH (a:Alert {key: $key})-[:HAS_EVENT]->(ev:AlertEvent)
RETURN ev.seq AS seq, ev.at AS at, ev.from_status AS from_status, ev.to_status AS to_status,
       ev.note AS note, ev.actor AS actor
ORDER BY seq
