//! policygraph: Chinese government policy bulletins → a knowledge graph of policy events.
//!
//! The data flows one way, one module per stage:
//!
//! ```text
//! bulletin text → ingest    (decode, normalise, segment into articles)
//!               → extract   (dictionaries + patterns → mentions → resolved entities)
//!               → graph     (petgraph: typed nodes and edges, one node per entity)
//!               → diffusion (COPIES edges between articles of different provinces)
//!               → export    (GraphML, GEXF, CSV, Neo4j, JSON Lines)
//! ```
//!
//! [`record`] holds the article record, the contract every stage reads or extends.
//! [`script`], below the stages, maps traditional script to simplified, character for
//! character, for the stages that match text against simplified dictionaries.
//! No stage knows the command line; `src/cmd/` (in the binary) wires them together.

pub mod calendar;
pub mod diffusion;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod ingest;
pub mod pipeline;
pub mod record;
mod scratch;
pub mod script;
pub mod synth;
