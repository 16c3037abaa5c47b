#!/bin/sh
# Imports the policy graph into a new Neo4j 5 database with neo4j-admin.
#   ./import.sh [DATABASE]      (default: neo4j; the database must be stopped)
# Set NEO4J_ADMIN to the neo4j-admin binary if it is not on PATH,
# e.g. NEO4J_ADMIN=$NEO4J_HOME/bin/neo4j-admin ./import.sh
# Written by policygraph; regenerated on every build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
db=${1:-neo4j}
exec "${NEO4J_ADMIN:-neo4j-admin}" database import full \
  --overwrite-destination=true \
  --array-delimiter=';' \
  --multiline-fields=true \
  --id-type=string \
  --nodes=Bulletin="$here/nodes_Bulletin.csv" \
  --nodes=Article="$here/nodes_Article.csv" \
  --nodes=Region="$here/nodes_Region.csv" \
  --nodes=Agency="$here/nodes_Agency.csv" \
  --nodes=Program="$here/nodes_Program.csv" \
  --nodes=ProgramTemplate="$here/nodes_ProgramTemplate.csv" \
  --relationships=IN_BULLETIN="$here/rels_IN_BULLETIN.csv" \
  --relationships=TAKES_PLACE_IN="$here/rels_TAKES_PLACE_IN.csv" \
  --relationships=MENTIONS="$here/rels_MENTIONS.csv" \
  --relationships=ACTS_IN="$here/rels_ACTS_IN.csv" \
  --relationships=BELONGS_TO="$here/rels_BELONGS_TO.csv" \
  --relationships=ISSUES="$here/rels_ISSUES.csv" \
  --relationships=ANNOUNCES="$here/rels_ANNOUNCES.csv" \
  --relationships=INSTANCE_OF="$here/rels_INSTANCE_OF.csv" \
  --relationships=WITHIN="$here/rels_WITHIN.csv" \
  --relationships=COPIES="$here/rels_COPIES.csv" \
  "$db"
