//! fasti_report
