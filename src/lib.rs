//! pinwarden: enforce a dependency-pinning policy across a Python repository.
//!
//! The pipeline runs in one direction: discover → parse → evaluate → suppress → report.

pub mod manifest;
