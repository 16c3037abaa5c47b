// Loads the policy graph into a running Neo4j 5 server.
// 1. Copy the CSV files of this directory into the server's import directory.
// 2. cypher-shell -u neo4j -p PASSWORD -f load.cypher
// MERGE makes a second run update rather than duplicate.
// Written by policygraph; regenerated on every build.

CREATE CONSTRAINT bulletin_id IF NOT EXISTS FOR (n:Bulletin) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT program_id IF NOT EXISTS FOR (n:Program) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT template_id IF NOT EXISTS FOR (n:ProgramTemplate) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Bulletin.csv' AS row
CALL {
  WITH row
  MERGE (n:Bulletin {id: row.`id:ID(Bulletin)`})
  SET n.label = row.label,
      n.key = row.key,
      n.title = row.`title`,
      n.issue = row.`issue`,
      n.publisher = row.`publisher`,
      n.date = date(row.`date:date`),
      n.source = row.`source`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Article.csv' AS row
CALL {
  WITH row
  MERGE (n:Article {id: row.`id:ID(Article)`})
  SET n.label = row.label,
      n.key = row.key,
      n.title = row.`title`,
      n.section = row.`section`,
      n.date = date(row.`date:date`),
      n.event_date = date(row.`event_date:date`),
      n.published = date(row.`published:date`),
      n.date_source = row.`date_source`,
      n.doc_number = row.`doc_number`,
      n.doc_source = row.`doc_source`,
      n.issuer = row.`issuer`,
      n.province = row.`province`,
      n.source = row.`source`,
      n.amounts = split(row.`amounts:string[]`, ';'),
      n.amount_yuan = toInteger(row.`amount_yuan:long`),
      n.unresolved_regions = split(row.`unresolved_regions:string[]`, ';')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Region.csv' AS row
CALL {
  WITH row
  MERGE (n:Region {id: row.`id:ID(Region)`})
  SET n.label = row.label,
      n.key = row.key,
      n.name = row.`name`,
      n.category = row.`category`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Agency.csv' AS row
CALL {
  WITH row
  MERGE (n:Agency {id: row.`id:ID(Agency)`})
  SET n.label = row.label,
      n.key = row.key,
      n.name = row.`name`,
      n.category = row.`category`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Program.csv' AS row
CALL {
  WITH row
  MERGE (n:Program {id: row.`id:ID(Program)`})
  SET n.label = row.label,
      n.key = row.key,
      n.name = row.`name`,
      n.category = row.`category`,
      n.template = row.`template`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_ProgramTemplate.csv' AS row
CALL {
  WITH row
  MERGE (n:ProgramTemplate {id: row.`id:ID(ProgramTemplate)`})
  SET n.label = row.label,
      n.key = row.key,
      n.name = row.`name`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_IN_BULLETIN.csv' AS row
CALL {
  WITH row
  MATCH (s:Article {id: row.`:START_ID(Article)`})
  MATCH (t:Bulletin {id: row.`:END_ID(Bulletin)`})
  MERGE (s)-[r:IN_BULLETIN]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.position = toInteger(row.`position:int`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_TAKES_PLACE_IN.csv' AS row
CALL {
  WITH row
  MATCH (s:Article {id: row.`:START_ID(Article)`})
  MATCH (t:Region {id: row.`:END_ID(Region)`})
  MERGE (s)-[r:TAKES_PLACE_IN]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.scope = row.`scope`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_MENTIONS.csv' AS row
CALL {
  WITH row
  MATCH (s:Article {id: row.`:START_ID(Article)`})
  MATCH (t:Region {id: row.`:END_ID(Region)`})
  MERGE (s)-[r:MENTIONS]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.mentions = split(row.`mentions:string[]`, ';'),
      r.in_title = toBoolean(row.`in_title:boolean`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_ACTS_IN.csv' AS row
CALL {
  WITH row
  MATCH (s:Agency {id: row.`:START_ID(Agency)`})
  MATCH (t:Article {id: row.`:END_ID(Article)`})
  MERGE (s)-[r:ACTS_IN]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.mentions = split(row.`mentions:string[]`, ';'),
      r.amounts = split(row.`amounts:string[]`, ';'),
      r.amount_yuan = toInteger(row.`amount_yuan:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_BELONGS_TO.csv' AS row
CALL {
  WITH row
  MATCH (s:Agency {id: row.`:START_ID(Agency)`})
  MATCH (t:Region {id: row.`:END_ID(Region)`})
  MERGE (s)-[r:BELONGS_TO]->(t)
  SET r.weight = toInteger(row.`weight:int`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_ISSUES.csv' AS row
CALL {
  WITH row
  MATCH (s:Agency {id: row.`:START_ID(Agency)`})
  MATCH (t:Program {id: row.`:END_ID(Program)`})
  MERGE (s)-[r:ISSUES]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.basis = row.`basis`,
      r.articles = split(row.`articles:string[]`, ';')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_ANNOUNCES.csv' AS row
CALL {
  WITH row
  MATCH (s:Article {id: row.`:START_ID(Article)`})
  MATCH (t:Program {id: row.`:END_ID(Program)`})
  MERGE (s)-[r:ANNOUNCES]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.mentions = split(row.`mentions:string[]`, ';'),
      r.amounts = split(row.`amounts:string[]`, ';'),
      r.amount_yuan = toInteger(row.`amount_yuan:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_INSTANCE_OF.csv' AS row
CALL {
  WITH row
  MATCH (s:Program {id: row.`:START_ID(Program)`})
  MATCH (t:ProgramTemplate {id: row.`:END_ID(ProgramTemplate)`})
  MERGE (s)-[r:INSTANCE_OF]->(t)
  SET r.weight = toInteger(row.`weight:int`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_WITHIN.csv' AS row
CALL {
  WITH row
  MATCH (s:Region {id: row.`:START_ID(Region)`})
  MATCH (t:Region {id: row.`:END_ID(Region)`})
  MERGE (s)-[r:WITHIN]->(t)
  SET r.weight = toInteger(row.`weight:int`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_COPIES.csv' AS row
CALL {
  WITH row
  MATCH (s:Article {id: row.`:START_ID(Article)`})
  MATCH (t:Article {id: row.`:END_ID(Article)`})
  MERGE (s)-[r:COPIES]->(t)
  SET r.weight = toInteger(row.`weight:int`),
      r.date = date(row.`date:date`),
      r.score = toFloat(row.`score:double`),
      r.confidence = row.`confidence`,
      r.lag_days = toInteger(row.`lag_days:int`),
      r.signals = split(row.`signals:string[]`, ';'),
      r.evidence = row.`evidence`
} IN TRANSACTIONS OF 1000 ROWS;
