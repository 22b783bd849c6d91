// Schema: indexes on every node key and on the properties lookups and screens filter by (sc_*: screening counters), full-text indexes on the search grams (graph/search_index.py)
// :params {}
CREATE INDEX FOR (e:Enterprise) ON (e.uscc);
CREATE INDEX FOR (e:Enterprise) ON (e.name);
CREATE INDEX FOR (e:Enterprise) ON (e.risk_class);
CREATE INDEX FOR (e:Enterprise) ON (e.region_code);
CREATE INDEX FOR (p:Person) ON (p.pid);
CREATE INDEX FOR (a:Address) ON (a.aid);
CREATE INDEX FOR (v:Violation) ON (v.vid);
CREATE INDEX FOR (v:Violation) ON (v.kind);
CREATE INDEX FOR (e:Enterprise) ON (e.org_type);
CREATE INDEX FOR (e:Enterprise) ON (e.status);
CREATE INDEX FOR (e:Enterprise) ON (e.industry_code);
CREATE INDEX FOR (e:Enterprise) ON (e.industry_section);
CREATE INDEX FOR (e:Enterprise) ON (e.established);
CREATE INDEX FOR (e:Enterprise) ON (e.registered_capital);
CREATE INDEX FOR (l:Licence) ON (l.lid);
CREATE INDEX FOR (r:AnnualReport) ON (r.rid);
CREATE INDEX FOR (r:AnnualReport) ON (r.year);
CREATE INDEX FOR (v:Violation) ON (v.date);
CREATE INDEX FOR (v:Violation) ON (v.status);
CREATE INDEX FOR (e:Enterprise) ON (e.sc_colocated_firms);
CREATE INDEX FOR (e:Enterprise) ON (e.sc_legal_rep_other_firms);
CREATE INDEX FOR (p:Person) ON (p.name);
CALL db.idx.fulltext.createNodeIndex({label: 'Enterprise', stopwords: []}, {field: 'search_grams', nostem: true});
CALL db.idx.fulltext.createNodeIndex({label: 'Person', stopwords: []}, {field: 'search_grams', nostem: true});
CALL db.idx.fulltext.createNodeIndex({label: 'Address', stopwords: []}, {field: 'search_grams', nostem: true});
