//! The condition language of rule files: `all`, `any`, `not`, and leaf tests on one
//! field (`equals`, `in`, `matches`, `exists`, `gt`, `gte`, `lt`, `lte`).
//!
//! Small and closed on purpose: a check it cannot express becomes a named built-in
//! check (see `checks.rs`), so rules stay readable data.

use std::sync::OnceLock;

use regex_automata::MatchKind;
use regex_automata::meta::{self, Regex};

use super::fields::{Field, Value};

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Predicate {
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
    Not(Box<Predicate>),
    Test { field: Field, test: Test },
}

/// A leaf test on one field's value.
#[derive(Debug, Clone)]
pub enum Test {
    Equals(Value<'static>),
    In(Vec<Value<'static>>),
    Matches(Pattern),
    Exists(bool),
    Compare(Comparison, f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Gt,
    Gte,
    Lt,
    Lte,
}

/// A regular expression of a `matches` test.
///
/// Built-in rules compile theirs the first time a value is tested: most runs never test
/// most patterns (the secret rules only see env files), and compiling all of them up
/// front is most of the start-up time of a single-file pre-commit check. A user's rule is
/// compiled when loaded, so an invalid pattern is a configuration error with a span.
///
/// A pattern matches what `regex::Regex` matches (the same syntax and settings, see
/// [`build`]) but is built without a literal prefilter: a field's value is a few dozen
/// bytes, which the prefilter does not speed up, and building it is half of a
/// pattern's compile time.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// `None` only for a deferred pattern that does not compile.
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// Compile now.
    pub fn compile(source: &str) -> Result<Pattern, regex::Error> {
        // On failure, regex's own error, for its message (the pattern, a caret under the
        // fault); the two builders share their parser, so regex fails too.
        let regex = build(source).ok_or_else(|| {
            regex::Regex::new(source)
                .err()
                .unwrap_or_else(|| regex::Error::Syntax(format!("{source}: cannot be compiled")))
        })?;
        Ok(Pattern {
            source: source.to_string(),
            compiled: OnceLock::from(Some(regex)),
        })
    }

    /// Compile on first use. Only for the built-in rules, whose patterns the test
    /// suite compiles (`every_builtin_pattern_compiles`).
    pub fn deferred(source: &str) -> Pattern {
        Pattern {
            source: source.to_string(),
            compiled: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled expression; `None` only for a deferred pattern that does not compile.
    pub fn regex(&self) -> Option<&Regex> {
        // A thread that asks while another compiles waits for it: a pattern is compiled
        // once a run, and a few take as long to compile as a hundred files to lint.
        self.compiled.get_or_init(|| build(&self.source)).as_ref()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_some_and(|regex| regex.is_match(text))
    }
}

/// `source` compiled as `regex::Regex::new` compiles it (its size limits, leftmost-first
/// matches, no empty match inside a UTF-8 character), but without a prefilter.
fn build(source: &str) -> Option<Regex> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(10 << 20))
        .hybrid_cache_capacity(2 << 20)
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .auto_prefilter(false);
    meta::Builder::new()
        .configure(config)
        .syntax(regex_automata::util::syntax::Config::new().utf8(true))
        .build(source)
        .ok()
}

impl Predicate {
    /// Evaluate against an item; `lookup` returns a field's value, `None` when the
    /// item has no such value (an absent marker, a requirement without URL, …).
    pub fn eval<'v, F: Fn(Field) -> Option<Value<'v>>>(&self, lookup: &F) -> bool {
        match self {
            Predicate::All(parts) => parts.iter().all(|p| p.eval(lookup)),
            Predicate::Any(parts) => parts.iter().any(|p| p.eval(lookup)),
            Predicate::Not(inner) => !inner.eval(lookup),
            Predicate::Test { field, test } => test.eval(lookup(*field).as_ref()),
        }
    }
}

impl Predicate {
    /// Evaluate knowing only some fields: `lookup` answers `None` for a field whose
    /// value is not known. `None`: the answer depends on what is not known.
    pub fn eval_partial<'v, F: Fn(Field) -> Option<Option<Value<'v>>>>(
        &self,
        lookup: &F,
    ) -> Option<bool> {
        match self {
            Predicate::All(parts) => Self::decide(parts, false, lookup),
            Predicate::Any(parts) => Self::decide(parts, true, lookup),
            Predicate::Not(inner) => inner.eval_partial(lookup).map(|b| !b),
            Predicate::Test { field, test } => {
                lookup(*field).map(|value| test.eval(value.as_ref()))
            }
        }
    }

    /// `all` (a false part decides) or `any` (a true part decides), partially: with no
    /// deciding part, the other answer when every part is known.
    fn decide<'v, F: Fn(Field) -> Option<Option<Value<'v>>>>(
        parts: &[Predicate],
        deciding: bool,
        lookup: &F,
    ) -> Option<bool> {
        let mut known = true;
        for part in parts {
            match part.eval_partial(lookup) {
                Some(answer) if answer == deciding => return Some(deciding),
                Some(_) => {}
                None => known = false,
            }
        }
        known.then_some(!deciding)
    }
}

impl Test {
    fn eval(&self, value: Option<&Value<'_>>) -> bool {
        match (self, value) {
            (Test::Exists(expected), value) => value.is_some_and(|v| !v.is_empty()) == *expected,
            (_, None) => false,
            // A list field passes when any element passes, so `operators in [">="]`
            // reads naturally.
            (_, Some(Value::List(items))) => items.iter().any(|item| self.eval(Some(item))),
            (Test::Equals(expected), Some(value)) => value.loosely_equals(expected),
            (Test::In(options), Some(value)) => options.iter().any(|o| value.loosely_equals(o)),
            (Test::Matches(pattern), Some(Value::Text(text))) => pattern.is_match(text),
            (Test::Matches(pattern), Some(value)) => pattern.is_match(&value.to_text()),
            (Test::Compare(op, limit), Some(value)) => {
                value.as_number().is_some_and(|n| match op {
                    Comparison::Gt => n > *limit,
                    Comparison::Gte => n >= *limit,
                    Comparison::Lt => n < *limit,
                    Comparison::Lte => n <= *limit,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(field: Field) -> Option<Value<'static>> {
        match field {
            Field::Pin => Some(Value::Text("range".into())),
            Field::Operators => Some(Value::List(vec![
                Value::Text(">=".into()),
                Value::Text("<".into()),
            ])),
            Field::HashCount => Some(Value::Number(2.0)),
            Field::Editable => Some(Value::Bool(false)),
            Field::Marker => None,
            _ => None,
        }
    }

    fn test(field: &str, test: Test) -> Predicate {
        Predicate::Test {
            field: Field::from_name(field).expect("a known field"),
            test,
        }
    }

    #[test]
    fn leaf_tests() {
        assert!(test("pin", Test::Equals(Value::Text("range".into()))).eval(&lookup));
        assert!(!test("pin", Test::Equals(Value::Text("exact".into()))).eval(&lookup));
        assert!(test("operators", Test::In(vec![Value::Text("<".into())])).eval(&lookup));
        assert!(test("pin", Test::Matches(Pattern::compile("^ra").unwrap())).eval(&lookup));
        assert!(test("pin", Test::Matches(Pattern::deferred("^ra"))).eval(&lookup));
        assert!(!test("pin", Test::Matches(Pattern::deferred("^ex"))).eval(&lookup));
        assert!(test("hash-count", Test::Compare(Comparison::Gte, 2.0)).eval(&lookup));
        assert!(!test("hash-count", Test::Compare(Comparison::Gt, 2.0)).eval(&lookup));
        assert!(test("marker", Test::Exists(false)).eval(&lookup));
        assert!(!test("marker", Test::Equals(Value::Text("".into()))).eval(&lookup));
        assert!(test("editable", Test::Equals(Value::Bool(false))).eval(&lookup));
    }

    #[test]
    fn partial_evaluation_answers_only_what_is_known() {
        let known_pin = |field: Field| (field == Field::Pin).then(|| lookup(field));
        let range = test("pin", Test::Equals(Value::Text("range".into())));
        let exact = test("pin", Test::Equals(Value::Text("exact".into())));
        let editable = test("editable", Test::Equals(Value::Bool(true)));
        assert_eq!(range.eval_partial(&known_pin), Some(true));
        assert_eq!(editable.eval_partial(&known_pin), None);
        let both = Predicate::All(vec![exact.clone(), editable.clone()]);
        assert_eq!(both.eval_partial(&known_pin), Some(false));
        let undecided = Predicate::All(vec![range.clone(), editable.clone()]);
        assert_eq!(undecided.eval_partial(&known_pin), None);
        let either = Predicate::Any(vec![range.clone(), editable.clone()]);
        assert_eq!(either.eval_partial(&known_pin), Some(true));
        let neither = Predicate::Any(vec![exact.clone(), editable.clone()]);
        assert_eq!(neither.eval_partial(&known_pin), None);
        let not = Predicate::Not(Box::new(range));
        assert_eq!(not.eval_partial(&known_pin), Some(false));
        let absent = test("marker", Test::Exists(false));
        let known_absent = |field: Field| (field == Field::Marker).then_some(None);
        assert_eq!(absent.eval_partial(&known_absent), Some(true));
    }

    #[test]
    fn combinators() {
        let range = test("pin", Test::Equals(Value::Text("range".into())));
        let exact = test("pin", Test::Equals(Value::Text("exact".into())));
        assert!(Predicate::Any(vec![range.clone(), exact.clone()]).eval(&lookup));
        assert!(!Predicate::All(vec![range.clone(), exact.clone()]).eval(&lookup));
        assert!(Predicate::Not(Box::new(exact)).eval(&lookup));
        assert!(Predicate::All(vec![]).eval(&lookup));
    }
}
