// Risk model export: how many persons and addresses there are and the range of their internal ids
// :params {}
// FalkorDB only: internal-id windows and packed replies for the risk model export (graph/falkordb_export.py)
MATCH (p:Person)
WITH count(p) AS persons, min(id(p)) AS person_low, max(id(p)) AS person_high
OPTIONAL MATCH (a:Address)
RETURN persons, person_low, person_high,
       count(a) AS addresses, min(id(a)) AS address_low, max(id(a)) AS address_high
