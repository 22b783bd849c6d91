// One alert with its properties
// :params {key: "R02|91110108123456788E"}
MATCH (a:Alert {key: $key})
RETURN properties(a) AS alert
