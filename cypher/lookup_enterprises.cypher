// Which of these enterprise keys exist in the graph
// :params {keys: ["91110108123456788E"]}
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS key
