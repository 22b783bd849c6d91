// Search: wait until every index (the full-text ones populate in the background) is online
// :params {seconds: 300}
CALL db.awaitIndexes($seconds)
