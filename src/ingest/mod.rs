//! Ingest: decode, normalise and segment bulletins into articles (stub).
