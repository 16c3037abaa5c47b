// Loads policygraph's GraphML and GEXF with graphology (the loaders Gephi
// Lite uses) and checks counts, kinds, attribute types and labels.
//
// Usage: node check_graphology.js OUTDIR EXPECT.json
// (NODE_PATH must point at the node_modules that setup.sh installed.)
'use strict';

const fs = require('fs');
const path = require('path');
const Graph = require('graphology');
const graphml = require('graphology-graphml');
const gexf = require('graphology-gexf');

function fail(msg) {
  console.error(`FAILED: ${msg}`);
  process.exit(1);
}

function eq(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) fail(`${what}: got ${g}, want ${w}`);
}

function counts(values) {
  const out = {};
  for (const v of values) out[v] = (out[v] || 0) + 1;
  // Key order as in the expectation file does not matter: sort both.
  return Object.fromEntries(Object.entries(out).sort());
}

function sorted(obj) {
  return Object.fromEntries(Object.entries(obj).sort());
}

const JS_TYPES = {
  string: 'string',
  int: 'number',
  integer: 'number',
  long: 'number',
  double: 'number',
  float: 'number',
  boolean: 'boolean',
};

function checkTypes(graph, exp, nodeAttrs, edgeAttrs, what) {
  const seen = new Set();
  graph.forEachNode((node, attrs) => {
    for (const [name, ty] of Object.entries(nodeAttrs)) {
      if (!(name in attrs)) continue;
      seen.add(name);
      if (typeof attrs[name] !== JS_TYPES[ty]) fail(`${what}: node ${node} ${name}=${attrs[name]} is not ${ty}`);
      if (JS_TYPES[ty] === 'number' && Number.isNaN(attrs[name])) fail(`${what}: node ${node} ${name} is NaN`);
    }
  });
  graph.forEachEdge((edge, attrs) => {
    for (const [name, ty] of Object.entries(edgeAttrs)) {
      if (!(name in attrs)) continue;
      seen.add(name);
      if (typeof attrs[name] !== JS_TYPES[ty]) fail(`${what}: edge ${edge} ${name}=${attrs[name]} is not ${ty}`);
    }
  });
  for (const name of exp.must_see_attrs || []) {
    if (!seen.has(name)) fail(`${what}: attribute ${name} never present`);
  }
}

function checkCommon(graph, exp, what, edgeKindAttr) {
  if (graph.type !== 'directed') fail(`${what}: graph type ${graph.type}, want directed`);
  eq(graph.order, exp.nodes, `${what} node count`);
  eq(graph.size, exp.edges, `${what} edge count`);
  eq(counts(graph.mapNodes((_, a) => a.kind)), sorted(exp.node_kinds), `${what} node kinds`);
  eq(counts(graph.mapEdges((_, a) => a[edgeKindAttr])), sorted(exp.edge_kinds), `${what} edge kinds`);
  for (const [node, label] of Object.entries(exp.labels)) {
    if (!graph.hasNode(node)) fail(`${what}: node ${node} missing`);
    eq(graph.getNodeAttribute(node, 'label'), label, `${what} label of ${node}`);
  }
  graph.forEachEdge((edge, attrs, source, target) => {
    if (!(typeof attrs.weight === 'number' && attrs.weight > 0)) fail(`${what}: edge ${source}->${target} weight`);
    if (attrs.label !== attrs[edgeKindAttr]) fail(`${what}: edge ${source}->${target} label != kind`);
  });
}

function main() {
  const [outdir, expectPath] = process.argv.slice(2);
  if (!outdir || !expectPath) fail('usage: check_graphology.js OUTDIR EXPECT.json');
  const exp = JSON.parse(fs.readFileSync(expectPath, 'utf8'));
  const version = JSON.parse(
    fs.readFileSync(path.join(path.dirname(require.resolve('graphology')), '..', 'package.json'), 'utf8')
  ).version;

  const gml = graphml.parse(Graph, fs.readFileSync(path.join(outdir, 'graph.graphml'), 'utf8'));
  checkCommon(gml, exp, 'graphology-graphml', 'kind');
  checkTypes(gml, exp, exp.node_attrs, exp.edge_attrs, 'graphology-graphml');
  console.log(`graphology ${version} + graphology-graphml: ${gml.order} nodes, ${gml.size} edges`);

  const gx = gexf.parse(Graph, fs.readFileSync(path.join(outdir, 'graph.gexf'), 'utf8'));
  // GEXF carries the relationship type in the edge's own `kind` attribute.
  checkCommon(gx, exp, 'graphology-gexf', 'kind');
  checkTypes(gx, exp, exp.gexf_node_attrs, exp.gexf_edge_attrs, 'graphology-gexf');
  console.log(`graphology ${version} + graphology-gexf: ${gx.order} nodes, ${gx.size} edges`);
}

main();
