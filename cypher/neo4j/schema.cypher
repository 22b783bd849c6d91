// Schema: uniqueness constraints on node keys, indexes on lookup properties, full-text (cjk analyzer) indexes for search
// :params {}
CREATE CONSTRAINT enterprise_uscc IF NOT EXISTS FOR (e:Enterprise) REQUIRE e.uscc IS UNIQUE;
CREATE CONSTRAINT person_pid IF NOT EXISTS FOR (p:Person) REQUIRE p.pid IS UNIQUE;
CREATE CONSTRAINT address_aid IF NOT EXISTS FOR (a:Address) REQUIRE a.aid IS UNIQUE;
CREATE CONSTRAINT violation_vid IF NOT EXISTS FOR (v:Violation) REQUIRE v.vid IS UNIQUE;
CREATE INDEX enterprise_name IF NOT EXISTS FOR (e:Enterprise) ON (e.name);
CREATE INDEX enterprise_risk_class IF NOT EXISTS FOR (e:Enterprise) ON (e.risk_class);
CREATE INDEX enterprise_region_code IF NOT EXISTS FOR (e:Enterprise) ON (e.region_code);
CREATE INDEX violation_kind IF NOT EXISTS FOR (v:Violation) ON (v.kind);
CREATE INDEX enterprise_org_type IF NOT EXISTS FOR (e:Enterprise) ON (e.org_type);
CREATE INDEX enterprise_status IF NOT EXISTS FOR (e:Enterprise) ON (e.status);
CREATE INDEX enterprise_industry_code IF NOT EXISTS FOR (e:Enterprise) ON (e.industry_code);
CREATE INDEX enterprise_industry_section IF NOT EXISTS FOR (e:Enterprise) ON (e.industry_section);
CREATE INDEX enterprise_established IF NOT EXISTS FOR (e:Enterprise) ON (e.established);
CREATE INDEX enterprise_registered_capital IF NOT EXISTS FOR (e:Enterprise) ON (e.registered_capital);
CREATE CONSTRAINT licence_lid IF NOT EXISTS FOR (l:Licence) REQUIRE l.lid IS UNIQUE;
CREATE CONSTRAINT annual_report_rid IF NOT EXISTS FOR (r:AnnualReport) REQUIRE r.rid IS UNIQUE;
CREATE INDEX annual_report_year IF NOT EXISTS FOR (r:AnnualReport) ON (r.year);
CREATE INDEX violation_date IF NOT EXISTS FOR (v:Violation) ON (v.date);
CREATE INDEX violation_status IF NOT EXISTS FOR (v:Violation) ON (v.status);
CREATE INDEX enterprise_sc_colocated_firms IF NOT EXISTS FOR (e:Enterprise) ON (e.sc_colocated_firms);
CREATE INDEX enterprise_sc_legal_rep_other_firms IF NOT EXISTS FOR (e:Enterprise) ON (e.sc_legal_rep_other_firms);
CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name);
CREATE FULLTEXT INDEX enterprise_name_text IF NOT EXISTS FOR (e:Enterprise) ON EACH [e.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX person_name_text IF NOT EXISTS FOR (p:Person) ON EACH [p.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX address_text IF NOT EXISTS FOR (a:Address) ON EACH [a.address] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
