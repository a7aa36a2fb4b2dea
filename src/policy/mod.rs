//! The policy: rules loaded from TOML, the condition language, and their evaluation.

pub mod canonical_pin;
pub mod checks;
pub mod engine;
pub mod fields;
pub mod hash_mode;
pub mod predicate;
pub mod rule;
pub mod shape;
pub mod template;

pub use engine::{Finding, Severity};
pub use rule::{Rule, RuleSet};
