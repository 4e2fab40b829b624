//! fasti_ingest
