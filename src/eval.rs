//! Evaluation against a gold file (stub).
