// Relationship counts per type
// :params {}
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
