//! The rule file schema. Built-in rules (`rules/*.toml`, embedded at build time) and a
//! user's own rules (`rules-dir`) are the same format, loaded by the same code.
//!
//! ```toml
//! name = "version-range"                # kebab-case, unique
//! severity = "error"                    # error | warning | info
//! default = true                        # enabled unless deselected (false: opt-in)
//! summary = "Requirement allows more than one version"
//! applies-to = { items = ["requirement"], kinds = ["requirements"] }
//! when = { field = "pin", in = ["range", "wildcard"] }   # or: check = "include-cycle"
//! message = "`{name}` allows more than one version: `{specifier}`"
//! label = { field = "specifier", text = "more than one version" }
//! help = "Pin one version with `==`."
//! redact = false                        # true: `value` and `url` fields are never printed in full
//! docs = """What it flags, why, and what it does not."""
//! [examples]                            # checked by the test suite
//! kind = "requirements"
//! flagged = ["flask>=2"]
//! clean = ["flask==2.3.3"]
//! ```

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use toml::Spanned;

use super::checks::BuiltinCheck;
use super::engine::Severity;
use super::fields::{self, Field, ITEM_TYPES, Value};
use super::predicate::{Comparison, Pattern, Predicate, Test};
use super::shape::Shapes;
use super::template::Template;
use crate::error::ConfigError;
use crate::manifest::{Item, ManifestKind, Span};

/// The bit of [`Rule::item_type_bits`] of a rule that takes the file itself.
pub const FILE_ITEM_BIT: u16 = 1 << Item::TYPE_NAMES.len();
const _ITEM_BITS_FIT: () = assert!(Item::TYPE_NAMES.len() < 16);

/// The bits of [`Rule::item_type_bits`] for these item type names.
fn item_type_bits(item_types: &[String]) -> u16 {
    item_types.iter().fold(0, |bits, name| {
        bits | match Item::TYPE_NAMES.iter().position(|known| known == name) {
            Some(index) => 1 << index,
            None if name == "file" => FILE_ITEM_BIT,
            None => 0,
        }
    })
}

/// A validated rule, ready to evaluate.
#[derive(Debug)]
pub struct Rule {
    pub name: String,
    pub severity: Severity,
    pub default_enabled: bool,
    pub summary: String,
    pub item_types: Vec<String>,
    /// `item_types` as bits, a bit per [`Item::type_index`] and [`FILE_ITEM_BIT`] for
    /// the file itself: asked for every file, and every finding.
    pub item_type_bits: u16,
    /// Empty: every kind.
    pub kinds: Vec<ManifestKind>,
    /// Glob patterns on the requirement's section; empty: every section.
    pub sections: Option<globset::GlobSet>,
    pub condition: Condition,
    /// The requirements `condition` can match; others are skipped unseen.
    pub requirement_shapes: Shapes,
    pub message: String,
    pub label: Option<Label>,
    pub help: Option<String>,
    /// `message`, the label's text and `help`, split for rendering.
    pub templates: Templates,
    pub redact: bool,
    pub fix: Option<String>,
    pub docs: String,
    /// Parsed on first use: for a built-in rule, from the text build.rs set apart.
    examples: OnceLock<Option<Examples>>,
    examples_text: &'static str,
    /// Where the rule came from: `built-in` or the rule file's path.
    pub origin: String,
}

/// A rule's message templates, split once when it is loaded.
#[derive(Debug, Clone)]
pub struct Templates {
    pub message: Template,
    pub label: Option<Template>,
    pub help: Option<Template>,
}

#[derive(Debug)]
pub enum Condition {
    Always,
    When(Predicate),
    Check(BuiltinCheck),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub field: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// The manifest kind the snippets are written in.
    pub kind: String,
    /// Optional file name for the snippets (decides e.g. template vs real `.env`).
    #[serde(rename = "file-name")]
    pub file_name: Option<String>,
    #[serde(default)]
    pub flagged: Vec<String>,
    #[serde(default)]
    pub clean: Vec<String>,
}

/// The raw schema, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleDef {
    name: Spanned<String>,
    severity: Severity,
    #[serde(default = "default_true")]
    default: bool,
    summary: String,
    applies_to: AppliesTo,
    when: Option<Spanned<PredicateDef>>,
    check: Option<Spanned<String>>,
    message: String,
    label: Option<Spanned<Label>>,
    help: Option<String>,
    #[serde(default)]
    redact: bool,
    fix: Option<Spanned<String>>,
    /// Required; a built-in rule's arrives apart from its policy (see build.rs).
    docs: Option<String>,
    examples: Option<Spanned<Examples>>,
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppliesTo {
    items: Spanned<Vec<String>>,
    #[serde(default)]
    kinds: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    sections: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PredicateDef {
    all: Option<Vec<Spanned<PredicateDef>>>,
    any: Option<Vec<Spanned<PredicateDef>>>,
    not: Option<Box<Spanned<PredicateDef>>>,
    field: Option<Spanned<String>>,
    equals: Option<toml::Value>,
    #[serde(rename = "in")]
    in_: Option<Vec<toml::Value>>,
    matches: Option<Spanned<String>>,
    exists: Option<bool>,
    gt: Option<f64>,
    gte: Option<f64>,
    lt: Option<f64>,
    lte: Option<f64>,
}

/// Fixes the engine knows how to compute.
pub const KNOWN_FIXES: [&str; 4] = [
    "pin-from-lock",
    "canonical-pin",
    "hashes-from-lock",
    "commit-from-lock",
];

impl Rule {
    /// Parse and validate one rule file. Every problem is a [`ConfigError`] with a span
    /// into `text`.
    pub fn parse(text: &str, path: &Path, origin: &str) -> Result<Rule, ConfigError> {
        Rule::parse_with_prose(text, path, origin, None)
    }

    /// A built-in rule, from the parts build.rs split its file into.
    fn parse_builtin(file: &BuiltinRuleFile) -> Result<Rule, ConfigError> {
        Rule::parse_with_prose(
            file.policy,
            Path::new(file.path),
            BUILTIN_ORIGIN,
            Some(file),
        )
    }

    fn parse_with_prose(
        text: &str,
        path: &Path,
        origin: &str,
        builtin: Option<&BuiltinRuleFile>,
    ) -> Result<Rule, ConfigError> {
        let err = |span: Span, message: String| ConfigError::new(path, text, Some(span), message);
        let def: RuleDef = toml::from_str(text).map_err(|e| {
            ConfigError::new(
                path,
                text,
                e.span(),
                format!("invalid rule file: {}", e.message()),
            )
        })?;

        let name = def.name.get_ref().clone();
        let docs = match (def.docs, builtin) {
            (Some(docs), _) => docs,
            (None, Some(file)) if !file.docs.is_empty() => file.docs.to_string(),
            (None, _) => {
                return Err(ConfigError::new(
                    path,
                    text,
                    None,
                    "invalid rule file: missing field `docs`".to_string(),
                ));
            }
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(
                def.name.span(),
                format!("rule name `{name}` must be kebab-case (a-z, 0-9, -)"),
            ));
        }

        let items_span = def.applies_to.items.span();
        let item_types = def.applies_to.items.into_inner();
        if item_types.is_empty() {
            return Err(err(items_span, "`applies-to.items` is empty".into()));
        }
        for item in &item_types {
            if !ITEM_TYPES.contains(&item.as_str()) {
                return Err(err(
                    items_span.clone(),
                    format!(
                        "unknown item type `{item}`; expected one of {}",
                        ITEM_TYPES.join(", ")
                    ),
                ));
            }
        }
        let kinds = match def.applies_to.kinds {
            None => Vec::new(),
            Some(kinds) => {
                let span = kinds.span();
                kinds
                    .into_inner()
                    .iter()
                    .map(|k| {
                        ManifestKind::from_name(k).ok_or_else(|| {
                            err(span.clone(), format!("unknown manifest kind `{k}`"))
                        })
                    })
                    .collect::<Result<_, _>>()?
            }
        };
        let sections = match def.applies_to.sections {
            None => None,
            Some(patterns) => {
                let span = patterns.span();
                let mut builder = globset::GlobSetBuilder::new();
                for pattern in patterns.into_inner() {
                    let glob = globset::GlobBuilder::new(&pattern)
                        .literal_separator(false)
                        .build()
                        .map_err(|e| err(span.clone(), format!("bad section pattern: {e}")))?;
                    builder.add(glob);
                }
                Some(builder.build().map_err(|e| err(span, e.to_string()))?)
            }
        };

        let condition = match (def.when, def.check) {
            (Some(_), Some(check)) => {
                return Err(err(
                    check.span(),
                    "a rule has `when` or `check`, not both".into(),
                ));
            }
            (Some(when), None) => {
                let builtin = origin == BUILTIN_ORIGIN;
                Condition::When(compile(&when, &item_types, builtin, &err)?)
            }
            (None, Some(check)) => {
                let check_name = check.get_ref();
                Condition::Check(BuiltinCheck::from_name(check_name).ok_or_else(|| {
                    err(
                        check.span(),
                        format!(
                            "unknown check `{check_name}`; built-in checks are {}",
                            BuiltinCheck::ALL.map(|c| c.name()).join(", ")
                        ),
                    )
                })?)
            }
            (None, None) => Condition::Always,
        };

        let label = match def.label {
            None => None,
            Some(label) => {
                let span = label.span();
                let label = label.into_inner();
                if let Some(field) = &label.field
                    && !item_types.iter().any(|t| fields::is_known_field(t, field))
                {
                    return Err(err(span, format!("label names unknown field `{field}`")));
                }
                Some(label)
            }
        };
        let fix = match def.fix {
            None => None,
            Some(fix) if KNOWN_FIXES.contains(&fix.get_ref().as_str()) => Some(fix.into_inner()),
            Some(fix) => {
                return Err(err(
                    fix.span(),
                    format!(
                        "unknown fix `{}`; known fixes: {}",
                        fix.get_ref(),
                        KNOWN_FIXES.join(", ")
                    ),
                ));
            }
        };
        let examples = OnceLock::new();
        if let Some(parsed) = def.examples {
            let span = parsed.span();
            let parsed = parsed.into_inner();
            if ManifestKind::from_name(&parsed.kind).is_none() {
                return Err(err(span, format!("unknown example kind `{}`", parsed.kind)));
            }
            examples.get_or_init(|| Some(parsed));
        }

        let templates = Templates {
            message: Template::parse(&def.message),
            label: label.as_ref().map(|l| Template::parse(&l.text)),
            help: def.help.as_deref().map(Template::parse),
        };
        // A placeholder nothing fills would render as nothing: a typo in a rule file
        // must be an error when it is loaded, not a silently shorter message.
        let known = |placeholder: &str| match &condition {
            Condition::Check(check) => check.placeholders().contains(&placeholder),
            _ => item_types
                .iter()
                .any(|t| fields::is_known_field(t, placeholder)),
        };
        let used = templates
            .message
            .placeholders()
            .chain(templates.label.iter().flat_map(Template::placeholders))
            .chain(templates.help.iter().flat_map(Template::placeholders));
        for placeholder in used {
            if !known(placeholder) {
                let written = format!("{{{placeholder}}}");
                let span = text
                    .find(&written)
                    .map_or(0..0, |at| at..at + written.len());
                let offered: Vec<&str> = match &condition {
                    Condition::Check(check) => check.placeholders().to_vec(),
                    _ => item_types
                        .iter()
                        .flat_map(|t| fields::fields_of(t).iter().map(|(name, _)| *name))
                        .collect(),
                };
                return Err(err(
                    span,
                    format!(
                        "unknown placeholder `{written}`; this rule can use {}",
                        offered
                            .iter()
                            .map(|name| format!("`{{{name}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }

        let requirement_shapes = match &condition {
            Condition::When(predicate) => Shapes::matched_by(predicate),
            Condition::Always | Condition::Check(_) => Shapes::ALL,
        };
        Ok(Rule {
            name,
            severity: def.severity,
            default_enabled: def.default,
            summary: def.summary,
            item_type_bits: item_type_bits(&item_types),
            item_types,
            kinds,
            sections,
            condition,
            requirement_shapes,
            templates,
            message: def.message,
            label,
            help: def.help,
            redact: def.redact,
            fix,
            docs,
            examples,
            examples_text: builtin.map_or("", |file| file.examples),
            origin: origin.to_string(),
        })
    }

    /// The snippets the rule must flag and must pass, checked by the test suite.
    pub fn examples(&self) -> Option<&Examples> {
        self.examples
            .get_or_init(|| {
                #[derive(Deserialize)]
                struct Document {
                    examples: Examples,
                }
                toml::from_str::<Document>(self.examples_text)
                    .ok()
                    .map(|document| document.examples)
                    .filter(|examples| ManifestKind::from_name(&examples.kind).is_some())
            })
            .as_ref()
    }

    pub fn applies_to_kind(&self, kind: ManifestKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Whether the rule takes items of the type at `type_index` ([`Item::type_index`]).
    pub fn takes_item_type(&self, type_index: usize) -> bool {
        self.item_type_bits & (1 << type_index) != 0
    }
}

/// Compile a condition; `builtin` defers compiling regular expressions to first use.
fn compile(
    def: &Spanned<PredicateDef>,
    item_types: &[String],
    builtin: bool,
    err: &dyn Fn(Span, String) -> ConfigError,
) -> Result<Predicate, ConfigError> {
    let span = def.span();
    let def = def.get_ref();
    let combinators = [def.all.is_some(), def.any.is_some(), def.not.is_some()]
        .iter()
        .filter(|set| **set)
        .count();
    let tests: Vec<&str> = [
        ("equals", def.equals.is_some()),
        ("in", def.in_.is_some()),
        ("matches", def.matches.is_some()),
        ("exists", def.exists.is_some()),
        ("gt", def.gt.is_some()),
        ("gte", def.gte.is_some()),
        ("lt", def.lt.is_some()),
        ("lte", def.lte.is_some()),
    ]
    .iter()
    .filter(|(_, set)| *set)
    .map(|(name, _)| *name)
    .collect();

    if combinators > 0 {
        if combinators > 1 || def.field.is_some() || !tests.is_empty() {
            return Err(err(
                span,
                "a condition is exactly one of `all`, `any`, `not`, or a `field` test".into(),
            ));
        }
        let many = |parts: &Vec<Spanned<PredicateDef>>| {
            parts
                .iter()
                .map(|part| compile(part, item_types, builtin, err))
                .collect::<Result<Vec<_>, _>>()
        };
        return Ok(match (&def.all, &def.any, &def.not) {
            (Some(parts), _, _) => Predicate::All(many(parts)?),
            (_, Some(parts), _) => Predicate::Any(many(parts)?),
            (_, _, Some(inner)) => {
                Predicate::Not(Box::new(compile(inner, item_types, builtin, err)?))
            }
            _ => unreachable!("one combinator is set"),
        });
    }

    let Some(field) = &def.field else {
        return Err(err(
            span,
            "a condition needs `all`, `any`, `not`, or a `field` with one test".into(),
        ));
    };
    let field_name = field.get_ref();
    let known_here = item_types
        .iter()
        .any(|item| fields::is_known_field(item, field_name));
    let Some(resolved) = Field::from_name(field_name).filter(|_| known_here) else {
        let known: Vec<&str> = item_types
            .iter()
            .flat_map(|item| fields::fields_of(item).iter().map(|(name, _)| *name))
            .chain(fields::COMMON_FIELDS.iter().map(|(name, _)| *name))
            .collect();
        return Err(err(
            field.span(),
            format!(
                "unknown field `{field_name}`; fields here: {}",
                known.join(", ")
            ),
        ));
    };
    if tests.len() != 1 {
        return Err(err(
            span,
            format!(
                "a field test needs exactly one of equals, in, matches, exists, gt, gte, lt, lte (found {})",
                if tests.is_empty() {
                    "none".to_string()
                } else {
                    tests.join(", ")
                }
            ),
        ));
    }
    let value = |v: &toml::Value| {
        Value::from_toml(v).ok_or_else(|| {
            err(
                span.clone(),
                "values must be strings, numbers, booleans or arrays".into(),
            )
        })
    };
    let test = if let Some(v) = &def.equals {
        Test::Equals(value(v)?)
    } else if let Some(options) = &def.in_ {
        Test::In(options.iter().map(value).collect::<Result<_, _>>()?)
    } else if let Some(pattern) = &def.matches {
        Test::Matches(if builtin {
            Pattern::deferred(pattern.get_ref())
        } else {
            Pattern::compile(pattern.get_ref())
                .map_err(|e| err(pattern.span(), format!("invalid regular expression: {e}")))?
        })
    } else if let Some(exists) = def.exists {
        Test::Exists(exists)
    } else {
        let (op, limit) = [
            (Comparison::Gt, def.gt),
            (Comparison::Gte, def.gte),
            (Comparison::Lt, def.lt),
            (Comparison::Lte, def.lte),
        ]
        .into_iter()
        .find_map(|(op, limit)| limit.map(|l| (op, l)))
        .expect("one comparison is set");
        Test::Compare(op, limit)
    };
    Ok(Predicate::Test {
        field: resolved,
        test,
    })
}

/// All loaded rules, built-in first, then the user's, sorted by name.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Arc<Rule>>,
}

/// The `origin` of the built-in rules.
pub const BUILTIN_ORIGIN: &str = "built-in";

/// A built-in rule file, split by build.rs into the policy every run parses and the
/// prose only some readers need.
#[derive(Debug)]
pub struct BuiltinRuleFile {
    /// `rules/NAME.toml`, relative to the package.
    pub path: &'static str,
    /// The file without `docs` and `[examples]`.
    pub policy: &'static str,
    /// The `docs` string; empty when the file has none.
    pub docs: &'static str,
    /// The `[examples]` table as a TOML document; empty when the file has none.
    pub examples: &'static str,
}

/// The built-in rule files, embedded at build time (see build.rs).
pub const BUILTIN_RULES: &[BuiltinRuleFile] =
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

impl RuleSet {
    /// The built-in rules. They are validated by the test suite, so a failure here is a
    /// bug in this build, reported as a configuration error rather than a panic. They
    /// parse on this thread: on the pool, they took as long, with its threads to start.
    pub fn builtin() -> Result<RuleSet, ConfigError> {
        let rules = BUILTIN_RULES
            .iter()
            .map(|file| Rule::parse_builtin(file).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let mut set = RuleSet { rules };
        set.sort_and_check_unique()?;
        Ok(set)
    }

    /// Add every `*.toml` rule file in `dir` (sorted, for determinism).
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), ConfigError> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            ConfigError::new(dir, "", None, format!("cannot read rules directory: {e}"))
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = crate::project::read_text_capped(&path).map_err(|e| {
                ConfigError::new(&path, "", None, format!("cannot read rule file: {e}"))
            })?;
            let rule = Rule::parse(&text, &path, &path.display().to_string())?;
            self.rules.push(Arc::new(rule));
        }
        self.sort_and_check_unique()
    }

    fn sort_and_check_unique(&mut self) -> Result<(), ConfigError> {
        self.rules.sort_by(|a, b| a.name.cmp(&b.name));
        for pair in self.rules.windows(2) {
            if pair[0].name == pair[1].name {
                return Err(ConfigError::new(
                    Path::new(&pair[1].origin),
                    "",
                    None,
                    format!(
                        "rule `{}` is defined twice ({} and {})",
                        pair[0].name, pair[0].origin, pair[1].origin
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Rule>> {
        self.rules.iter().find(|rule| rule.name == name)
    }
}

/// The documentation of a rule as `pinwarden rule NAME` prints it (Markdown).
pub fn documentation(rule: &Rule) -> String {
    let mut out = format!("# {}\n\n{}\n\n", rule.name, rule.summary);
    out.push_str(&format!(
        "- severity: {}\n- enabled by default: {}\n",
        rule.severity.as_str(),
        if rule.default_enabled { "yes" } else { "no" }
    ));
    let kinds = if rule.kinds.is_empty() {
        "all".to_string()
    } else {
        rule.kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!(
        "- applies to: {} in {} manifests\n",
        rule.item_types.join(", "),
        kinds
    ));
    if let Some(fix) = &rule.fix {
        let level = match fix.as_str() {
            "commit-from-lock" => {
                "unsafe, it can change what is installed: `pinwarden check --fix --unsafe-fixes`"
            }
            "hashes-from-lock" => "safe, it only adds verification: `pinwarden check --fix`",
            "pin-from-lock" => {
                "safe: `pinwarden check --fix`; unsafe in a library's published metadata: `--unsafe-fixes`"
            }
            _ => "safe: `pinwarden check --fix`",
        };
        out.push_str(&format!("- fix: {fix} ({level})\n"));
    }
    if rule.redact {
        out.push_str("- values it flags are redacted in every output\n");
    }
    out.push('\n');
    out.push_str(rule.docs.trim());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns<'a>(predicate: &'a Predicate, out: &mut Vec<&'a Pattern>) {
        match predicate {
            Predicate::All(parts) | Predicate::Any(parts) => {
                parts.iter().for_each(|p| patterns(p, out))
            }
            Predicate::Not(inner) => patterns(inner, out),
            Predicate::Test {
                test: Test::Matches(pattern),
                ..
            } => out.push(pattern),
            Predicate::Test { .. } => {}
        }
    }

    /// The `matches` patterns of every rule of `rules`, in order.
    fn rule_patterns(rules: &RuleSet) -> Vec<&Pattern> {
        let mut all = Vec::new();
        for rule in &rules.rules {
            if let Condition::When(predicate) = &rule.condition {
                patterns(predicate, &mut all);
            }
        }
        all
    }

    /// Every rule's item types, as bits, say what its names say.
    #[test]
    fn item_type_bits_follow_the_type_names() {
        assert_eq!(Item::TYPE_NAMES[Item::REQUIREMENT_TYPE], "requirement");
        let rules = RuleSet::builtin().unwrap();
        let mut seen = 0;
        for rule in &rules.rules {
            for (index, name) in Item::TYPE_NAMES.iter().enumerate() {
                let named = rule.item_types.iter().any(|t| t == name);
                assert_eq!(rule.takes_item_type(index), named, "{} {name}", rule.name);
            }
            let file = rule.item_types.iter().any(|t| t == "file");
            assert_eq!(
                rule.item_type_bits & FILE_ITEM_BIT != 0,
                file,
                "{}",
                rule.name
            );
            seen |= rule.item_type_bits;
        }
        // The built-in rules take every type of item, and the file.
        assert_eq!(seen, (FILE_ITEM_BIT << 1) - 1);
    }

    /// Built-in patterns are compiled on first use, so this is where a bad one fails.
    #[test]
    fn every_builtin_pattern_compiles() {
        let rules = RuleSet::builtin().unwrap();
        let all = rule_patterns(&rules);
        assert!(all.len() > 10, "{} patterns", all.len());
        for pattern in all {
            assert!(pattern.regex().is_some(), "{}", pattern.source());
        }
    }

    /// A pattern is built without regex's prefilter, and must match what regex matches:
    /// every built-in pattern against every rule's examples, each part of them
    /// (the values the patterns see) and text outside ASCII, which case folding and
    /// `\b` treat apart.
    #[test]
    fn builtin_patterns_match_as_regex_matches() {
        let rules = RuleSet::builtin().unwrap();
        let all = rule_patterns(&rules);
        let mut texts: Vec<String> = ["", "ſample", "\u{212a}EY", "é ghp_é", "例 token=x\n"]
            .into_iter()
            .map(String::from)
            .collect();
        for rule in &rules.rules {
            for example in rule
                .examples()
                .iter()
                .flat_map(|e| e.flagged.iter().chain(&e.clean))
            {
                texts.push(example.clone());
                texts.extend(example.split(['=', ' ', ':', '"', '\'']).map(String::from));
            }
        }
        let mut matched = 0;
        for pattern in all {
            let regex = regex::Regex::new(pattern.source()).unwrap();
            for text in &texts {
                assert_eq!(
                    pattern.is_match(text),
                    regex.is_match(text),
                    "{} on {text:?}",
                    pattern.source()
                );
                matched += usize::from(regex.is_match(text));
            }
        }
        assert!(matched > 100, "{matched} matches");
    }

    /// A user's invalid pattern reads as regex reports it.
    #[test]
    fn invalid_pattern_errors_are_regexs_own() {
        for source in ["(", "a{2,1}", "\\p{Nope}", "[z-a]"] {
            let error = Pattern::compile(source).unwrap_err();
            assert_eq!(error, regex::Regex::new(source).unwrap_err(), "{source}");
            assert!(error.to_string().contains('^'), "{error}");
        }
    }

    /// build.rs sets each built-in file's prose apart; read whole, as a user's rule file
    /// is, every file must give the same rule, documentation and examples.
    #[test]
    fn builtin_rules_split_at_build_time_equal_their_files_read_whole() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let builtin = RuleSet::builtin().unwrap();
        let (mut files, mut with_examples) = (0, 0);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let whole = Rule::parse(&text, &path, BUILTIN_ORIGIN).unwrap();
            let split = builtin.get(&whole.name).expect("embedded");
            assert!(!whole.docs.trim().is_empty(), "{}", whole.name);
            assert_eq!(whole.docs, split.docs, "{}", whole.name);
            assert_eq!(
                format!("{:?}", whole.examples()),
                format!("{:?}", split.examples()),
                "{}",
                whole.name
            );
            with_examples += usize::from(whole.examples().is_some());
            assert_eq!(
                (&whole.summary, &whole.message, &whole.help, &whole.fix),
                (&split.summary, &split.message, &split.help, &split.fix)
            );
            assert_eq!(
                format!("{:?}", whole.condition),
                format!("{:?}", split.condition)
            );
            files += 1;
        }
        assert_eq!(files, BUILTIN_RULES.len());
        assert!(with_examples > 40, "{with_examples} rules with examples");
    }

    #[test]
    fn a_user_rule_without_docs_is_a_configuration_error() {
        let text = "name = \"x\"\nseverity = \"error\"\nsummary = \"x\"\n\
                    applies-to = { items = [\"env-entry\"] }\nmessage = \"x\"\n";
        let err = Rule::parse(text, Path::new("x.toml"), "rules/x.toml").unwrap_err();
        assert!(
            err.message.contains("missing field `docs`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn user_rule_with_invalid_pattern_is_a_configuration_error() {
        let text = "name = \"x\"\nseverity = \"error\"\nsummary = \"x\"\n\
                    applies-to = { items = [\"env-entry\"] }\n\
                    when = { field = \"key\", matches = \"(\" }\nmessage = \"x\"\ndocs = \"x\"\n";
        let err = Rule::parse(text, Path::new("x.toml"), "rules/x.toml").unwrap_err();
        assert!(
            err.message.contains("invalid regular expression"),
            "{}",
            err.message
        );
        assert_eq!(&text[err.span.unwrap()], "\"(\"");
    }
}
