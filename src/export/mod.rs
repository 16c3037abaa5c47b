//! Export: one file per format (stub).
