//! fasti_validate
