//! A version specifier as the set of versions it admits (PEP 440), and whether that set
//! holds one version, several, or none.
//!
//! Whether a requirement is pinned is decided from this set, not from how the
//! specifier is spelled: `>=1.2,<=1.2` admits exactly 1.2, like `==1.2`; `>=2,<2`
//! admits nothing; `>=1.0,<1.0.1` admits 1.0, 1.0.post1, 1.0.0.1 and more.
//!
//! The clauses become intervals of uv's PEP 440 versions (`uv-pep440`'s
//! `version-ranges`), which carry PEP 440's rules: `<V` stops before V's
//! pre-releases, `>V` starts after V's post-releases and local versions, `==V` takes
//! V's local versions, `.*` is a release prefix. `===` compares the version's text, so
//! it is kept beside the intervals as a string. `tests/specifier_reference.rs` checks
//! the result against `packaging`.
//!
//! "One version" means one public version: `==1.2` admits `1.2+cu118` too, and that is
//! still a pin (the local label is a build of the same release).

use std::ops::Bound;

use uv_pep440::{LocalVersionSlice, Operator, Version, VersionSpecifier};
use version_ranges::Ranges;

use std::str::FromStr;

use uv_pep440::VersionSpecifiers;

use super::pep508::{split_clauses, trim_span};
use super::pyproject::poetry::{parse_constraint, pep440_clauses};
use super::{ManifestKind, Pin, Requirement, Span};

/// How many versions a specifier admits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No version at all: the requirement can never be installed.
    Unsatisfiable,
    /// One version (and its local builds), written as the canonical `==` would name it.
    One(String),
    /// More than one version.
    Many,
}

/// The versions that satisfy every clause of one specifier.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// The intersection of the clauses other than `===`.
    ranges: Ranges<Version>,
    /// Whether any clause other than `===` was given.
    bounded: bool,
    arbitrary: Arbitrary,
}

/// What the `===` clauses ask for: the version's text, compared without case.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arbitrary {
    Any,
    Text(String),
    /// Two `===` clauses with different texts: nothing matches both.
    Conflict,
}

impl Alternative {
    /// Every version.
    pub fn any() -> Alternative {
        Alternative {
            ranges: Ranges::full(),
            bounded: false,
            arbitrary: Arbitrary::Any,
        }
    }

    /// The clauses `specifiers` (a `===` among them is taken by its version's text)
    /// and the `===` operands `arbitrary`, as written.
    pub fn new<'a>(
        specifiers: impl IntoIterator<Item = &'a VersionSpecifier>,
        arbitrary: impl IntoIterator<Item = &'a str>,
    ) -> Alternative {
        let mut alternative = Alternative::any();
        for specifier in specifiers {
            if *specifier.operator() == Operator::ExactEqual {
                alternative.add_arbitrary(&specifier.version().to_string());
            } else {
                alternative.ranges = alternative
                    .ranges
                    .intersection(&Ranges::from(specifier.clone()));
                alternative.bounded = true;
            }
        }
        for text in arbitrary {
            alternative.add_arbitrary(text);
        }
        alternative.ranges = real(&alternative.ranges);
        alternative
    }

    fn add_arbitrary(&mut self, text: &str) {
        self.arbitrary = match std::mem::replace(&mut self.arbitrary, Arbitrary::Any) {
            Arbitrary::Any => Arbitrary::Text(text.to_string()),
            Arbitrary::Text(known) if known.eq_ignore_ascii_case(text) => Arbitrary::Text(known),
            _ => Arbitrary::Conflict,
        };
    }

    /// The versions both admit.
    pub fn intersect(&self, other: &Alternative) -> Alternative {
        let mut both = Alternative {
            ranges: self.ranges.intersection(&other.ranges),
            bounded: self.bounded || other.bounded,
            arbitrary: self.arbitrary.clone(),
        };
        match &other.arbitrary {
            Arbitrary::Any => {}
            Arbitrary::Text(text) => both.add_arbitrary(text),
            Arbitrary::Conflict => both.arbitrary = Arbitrary::Conflict,
        }
        both.ranges = real(&both.ranges);
        both
    }

    /// Whether `version` satisfies every clause.
    pub fn contains(&self, version: &Version) -> bool {
        let text_matches = match &self.arbitrary {
            Arbitrary::Any => true,
            Arbitrary::Text(text) => version.to_string().eq_ignore_ascii_case(text),
            Arbitrary::Conflict => false,
        };
        text_matches && self.ranges.contains(version)
    }

    pub fn verdict(&self) -> Verdict {
        match &self.arbitrary {
            Arbitrary::Conflict => Verdict::Unsatisfiable,
            // `===` alone admits its text, version or not.
            Arbitrary::Text(text) if !self.bounded => Verdict::One(text.clone()),
            // With other clauses, its text must be a version they admit.
            Arbitrary::Text(text) => match text.parse::<Version>() {
                Ok(version) if self.ranges.contains(&version) => Verdict::One(text.clone()),
                _ => Verdict::Unsatisfiable,
            },
            Arbitrary::Any => ranges_verdict(&self.ranges),
        }
    }

    /// A version or two it admits besides its lower bound, where they show what the
    /// spelling hides: only for a set bounded on both sides that looks like one
    /// release, admitting neither the next release (1.0.1 after 1.0.0) nor, for a
    /// two-part version, its first patch (1.0.1 after 1.0). `>=1.0,<1.0.1` admits
    /// 1.0.post1 and 1.0.0.1; `>=4.2,<5` and `~=5.3.0` say plainly that they are ranges.
    pub fn examples(&self) -> Option<(Option<String>, Vec<String>)> {
        if self.arbitrary != Arbitrary::Any {
            return None;
        }
        let (lower, _) = self.ranges.bounding_range()?;
        let (_, upper) = self.ranges.iter().next_back()?;
        let lower = match lower {
            Bound::Included(version) => version.clone(),
            Bound::Excluded(version) if version.is_local() => version.clone().without_local(),
            _ => return None,
        };
        let upper = match upper {
            Bound::Included(version) | Bound::Excluded(version) => version.clone(),
            Bound::Unbounded => return None,
        };
        // Candidates near the lower bound's release, as text: `1.0` gives 1.0, 1.1,
        // 1.0.post1, 1.0.1, 1.0.0.1, 1.0.post0.
        let epoch = match lower.epoch() {
            0 => String::new(),
            epoch => format!("{epoch}!"),
        };
        let release: Vec<String> = lower.release().iter().map(u64::to_string).collect();
        let base = format!("{epoch}{}", release.join("."));
        let bumped = {
            let mut parts: Vec<u64> = lower.release().to_vec();
            if let Some(last) = parts.last_mut() {
                *last += 1;
            }
            let parts: Vec<String> = parts.iter().map(u64::to_string).collect();
            format!("{epoch}{}", parts.join("."))
        };
        let looks_like_one_release = {
            let admitted = |text: &str| text.parse().is_ok_and(|v| self.contains(&v));
            !admitted(&bumped) && (release.len() >= 3 || !admitted(&format!("{base}.1")))
        };
        if !looks_like_one_release {
            return None;
        }
        let mut candidates: Vec<Version> = [
            base.clone(),
            bumped,
            format!("{base}.post1"),
            format!("{base}.1"),
            format!("{base}.0.1"),
            format!("{base}.post0"),
        ]
        .iter()
        .filter_map(|text| text.parse().ok())
        .collect();
        if !upper.is_local() {
            candidates.push(upper.clone());
        }
        // A pre-release lower bound (`1.0.dev0` of `==1.0.*`) is not what a reader
        // would call the lower bound.
        let shown_lower =
            (self.contains(&lower) && !lower.any_prerelease()).then(|| lower.to_string());
        let mut examples: Vec<Version> = Vec::new();
        for candidate in candidates {
            if examples.len() == 2 {
                break;
            }
            let public = candidate.clone().without_local();
            let seen = examples.contains(&public)
                || (shown_lower.is_some() && public == lower.clone().without_local());
            if !seen && self.contains(&candidate) {
                examples.push(public);
            }
        }
        (!examples.is_empty()).then(|| {
            (
                shown_lower,
                examples.iter().map(ToString::to_string).collect(),
            )
        })
    }
}

/// The versions of any of several alternatives (Poetry's `||`).
#[derive(Debug, Clone)]
pub struct Admitted {
    alternatives: Vec<Alternative>,
}

impl Admitted {
    pub fn any() -> Admitted {
        Admitted::one(Alternative::any())
    }

    pub fn one(alternative: Alternative) -> Admitted {
        Admitted {
            alternatives: vec![alternative],
        }
    }

    pub fn union(alternatives: Vec<Alternative>) -> Admitted {
        Admitted { alternatives }
    }

    pub fn contains(&self, version: &Version) -> bool {
        self.alternatives.iter().any(|a| a.contains(version))
    }

    pub fn verdict(&self) -> Verdict {
        let mut one: Option<String> = None;
        for alternative in &self.alternatives {
            match alternative.verdict() {
                Verdict::Unsatisfiable => {}
                Verdict::Many => return Verdict::Many,
                Verdict::One(version) => match &one {
                    None => one = Some(version),
                    Some(known) if same_release(known, &version) => {}
                    Some(_) => return Verdict::Many,
                },
            }
        }
        one.map_or(Verdict::Unsatisfiable, Verdict::One)
    }

    /// The requirement's pin: exact for one version, unsatisfiable for none, else a
    /// range (a wildcard when `single_wildcard`: its only clause is `==X.*`).
    pub fn pin(&self, single_wildcard: bool) -> Pin {
        match self.verdict() {
            Verdict::One(_) => Pin::Exact,
            Verdict::Unsatisfiable => Pin::Unsatisfiable,
            Verdict::Many if single_wildcard => Pin::Wildcard,
            Verdict::Many => Pin::Range,
        }
    }

    /// See [`Alternative::examples`]; none for several alternatives.
    pub fn examples(&self) -> Option<(Option<String>, Vec<String>)> {
        match self.alternatives.as_slice() {
            [alternative] => alternative.examples(),
            _ => None,
        }
    }
}

/// The verdict of the commonest ranges, decided from their clauses without building
/// their sets: one `>=`, `>`, `~=`, `!=` or `.*` clause, `<`/`<=` a version above 0, or
/// a lower and an upper bound on different releases (`>=1.2,<2`). Each of these admits
/// many versions: a lower bound admits every later release; an upper bound on a release
/// above 0 admits 0 and 0.1 below it; `>=A,<B` with B's release above A's admits A and
/// A.post1 (or the next post-release). `None` for anything else, which the set decides.
pub fn quick_verdict(specifiers: &[VersionSpecifier]) -> Option<Verdict> {
    use Operator::*;
    let nonzero = |v: &Version| v.release().iter().any(|&n| n > 0);
    match specifiers {
        [one] => match one.operator() {
            GreaterThan | GreaterThanEqual | TildeEqual | NotEqual | EqualStar | NotEqualStar => {
                Some(Verdict::Many)
            }
            LessThan | LessThanEqual if nonzero(one.version()) && one.version().epoch() == 0 => {
                Some(Verdict::Many)
            }
            _ => None,
        },
        [a, b] => {
            let is_lower =
                |s: &VersionSpecifier| matches!(s.operator(), GreaterThan | GreaterThanEqual);
            let is_upper = |s: &VersionSpecifier| matches!(s.operator(), LessThan | LessThanEqual);
            let (lower, upper) = match (is_lower(a), is_upper(b), is_lower(b), is_upper(a)) {
                (true, true, _, _) => (a, b),
                (_, _, true, true) => (b, a),
                _ => return None,
            };
            let (low, high) = (lower.version(), upper.version());
            (low.epoch() == high.epoch() && release_order(&low.release(), &high.release()).is_lt())
                .then_some(Verdict::Many)
        }
        _ => None,
    }
}

/// Releases compared as PEP 440 does, the shorter padded with zeros.
fn release_order(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    let at = |r: &[u64], i: usize| r.get(i).copied().unwrap_or(0);
    (0..len)
        .map(|i| at(a, i).cmp(&at(b, i)))
        .find(|order| order.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// Whether the Poetry constraint syntax applies to this requirement.
pub fn is_poetry(kind: ManifestKind, req: &Requirement) -> bool {
    kind == ManifestKind::Pyproject && req.section.starts_with("tool.poetry.")
}

/// The versions a requirement's specifier admits, in its manifest's dialect: PEP 440
/// (requirement strings), pipenv (`*` is any version, a leading bare version means
/// `==`) and Poetry (`^`, `~`, bare versions, `1.2.*`/`1.x`, `||` alternatives).
/// `None` when the specifier cannot be read (a parse error reports it).
pub fn of_requirement(kind: ManifestKind, req: &Requirement) -> Option<Admitted> {
    // npm ranges are not PEP 440 (see `npm_spec`).
    if kind.is_npm() {
        return None;
    }
    let specifier = req.specifier.trim();
    if is_poetry(kind, req) {
        return parse_constraint(specifier).ok().map(|c| c.admitted);
    }
    if specifier.is_empty() || (kind == ManifestKind::Pipfile && specifier == "*") {
        return Some(Admitted::any());
    }
    if kind != ManifestKind::Pipfile && !specifier.contains("===") {
        let specifiers = VersionSpecifiers::from_str(specifier).ok()?;
        return Some(Admitted::one(Alternative::new(specifiers.iter(), [])));
    }
    let mut pep440 = Vec::new();
    let mut arbitrary = Vec::new();
    let clauses = split_clauses(specifier, trim_span(specifier, 0..specifier.len()));
    for (index, (operator, version, _)) in clauses.into_iter().enumerate() {
        match operator.as_str() {
            "===" => arbitrary.push(version),
            _ => pep440.push(pep440_text(kind, index, &operator, &version)),
        }
    }
    let specifiers = VersionSpecifiers::from_str(&pep440.join(",")).ok()?;
    Some(Admitted::one(Alternative::new(
        specifiers.iter(),
        arbitrary.iter().map(String::as_str),
    )))
}

/// The one version a requirement's specifier admits, if it admits exactly one.
pub fn exact_version(kind: ManifestKind, req: &Requirement) -> Option<String> {
    if req.specifier.is_empty() {
        return None;
    }
    match of_requirement(kind, req)?.verdict() {
        Verdict::One(version) => Some(version),
        _ => None,
    }
}

/// Whether the specifier is written as one exact clause: `==1.2`, `===1.2`, and a bare
/// `1.2` (or `=1.2`) where the dialect reads it as `==`.
pub fn spelled_exact(kind: ManifestKind, req: &Requirement) -> bool {
    let [clause] = req.clauses.as_slice() else {
        return false;
    };
    let bare_is_exact = kind == ManifestKind::Pipfile || is_poetry(kind, req);
    let operator_is_exact = match clause.operator.as_ref() {
        "==" | "===" => true,
        "" => bare_is_exact,
        "=" => is_poetry(kind, req),
        _ => false,
    };
    operator_is_exact && !clause.version.ends_with(['*', 'x', 'X'])
}

/// The specifier that pins what `req` admits, written the usual way: `==1.2`, or a bare
/// `1.2` in Poetry's tables.
pub fn canonical_specifier(kind: ManifestKind, req: &Requirement) -> Option<String> {
    let version = exact_version(kind, req)?;
    if version.parse::<Version>().is_err() {
        return Some(format!("==={version}"));
    }
    Some(if is_poetry(kind, req) {
        version
    } else {
        format!("=={version}")
    })
}

/// For a range bounded on both sides, what it admits besides what it seems to say:
/// ` (admits 1.0, 1.0.post1 and 1.0.0.1)`.
pub fn admits_note(kind: ManifestKind, req: &Requirement) -> Option<String> {
    // Most ranges are `>=X`: no upper bound, nothing to read.
    let bounded_above = req.clauses.iter().any(|clause| {
        matches!(
            clause.operator.as_ref(),
            "<" | "<=" | "~=" | "==" | "^" | "~" | "" | "="
        )
    });
    if !bounded_above {
        return None;
    }
    // `>=1.2,<2`: the next release (1.3) is plainly in, so there is nothing to add;
    // decided from the text, as most ranges with an upper bound look like this.
    if let [low, high] = req.clauses.as_slice()
        && matches!(low.operator.as_ref(), ">=" | ">")
        && matches!(high.operator.as_ref(), "<" | "<=")
        && let (Ok(low), Ok(high)) = (
            low.version.parse::<Version>(),
            high.version.parse::<Version>(),
        )
    {
        let mut next = low.release().to_vec();
        if let Some(last) = next.last_mut() {
            *last = last.saturating_add(1);
        }
        if low.epoch() == high.epoch() && release_order(&next, &high.release()).is_lt() {
            return None;
        }
    }
    let (lower, examples) = of_requirement(kind, req)?.examples()?;
    let mut versions: Vec<String> = lower.into_iter().chain(examples).collect();
    let last = versions.pop()?;
    Some(if versions.is_empty() {
        format!(" (admits {last}, among others)")
    } else {
        format!(" (admits {} and {last})", versions.join(", "))
    })
}

/// The clauses of an unsatisfiable specifier that exclude every version together:
/// one clause that admits nothing (`<0`), else the first pair (`>=2.0` and `<2.0`),
/// else all of them. Their text as written and the span from the first to the last.
pub fn conflict(kind: ManifestKind, req: &Requirement) -> Option<(String, Span)> {
    let clauses = &req.clauses;
    let whole = || Some((req.specifier.to_string(), req.specifier_span.clone()?));
    // Poetry alternatives fail together or not at all: the whole specifier is wrong.
    if clauses.is_empty() || (is_poetry(kind, req) && req.specifier.contains('|')) {
        return whole();
    }
    let alone: Vec<Option<Alternative>> = clauses
        .iter()
        .enumerate()
        .map(|(index, clause)| clause_set(kind, req, index, clause))
        .collect();
    let empty = |set: &Alternative| set.verdict() == Verdict::Unsatisfiable;
    let cover = |first: usize, last: usize| {
        let span = clauses[first].span.start..clauses[last].span.end;
        let text = clauses[first..=last]
            .iter()
            .map(|c| format!("{}{}", c.operator, c.version))
            .collect::<Vec<_>>();
        let text = if last - first > 1 {
            format!("{},{}", text[0], text[text.len() - 1])
        } else {
            text.join(",")
        };
        Some((text, span))
    };
    if let Some(index) = alone.iter().position(|set| set.as_ref().is_some_and(empty)) {
        return cover(index, index);
    }
    for second in 1..alone.len() {
        for first in 0..second {
            if let (Some(a), Some(b)) = (&alone[first], &alone[second])
                && empty(&a.intersect(b))
            {
                return cover(first, second);
            }
        }
    }
    whole()
}

/// One clause of `req` as a set of versions, in its dialect.
fn clause_set(
    kind: ManifestKind,
    req: &Requirement,
    index: usize,
    clause: &super::Clause,
) -> Option<Alternative> {
    let (operator, version) = (clause.operator.as_ref(), clause.version.as_str());
    if operator == "===" {
        return Some(Alternative::new([], [version]));
    }
    let pep440 = if is_poetry(kind, req) {
        pep440_clauses(operator, version)?.join(",")
    } else {
        pep440_text(kind, index, operator, version)
    };
    let specifiers = VersionSpecifiers::from_str(&pep440).ok()?;
    Some(Alternative::new(specifiers.iter(), []))
}

/// Clause `index` of a PEP 440 or pipenv specifier as PEP 440 text: pipenv prepends
/// `==` to a specifier that starts without an operator.
fn pep440_text(kind: ManifestKind, index: usize, operator: &str, version: &str) -> String {
    if operator.is_empty() && index == 0 && kind == ManifestKind::Pipfile {
        format!("=={version}")
    } else {
        format!("{operator}{version}")
    }
}

/// Whether two versions named by `One` verdicts are the same public version.
fn same_release(a: &str, b: &str) -> bool {
    match (a.parse::<Version>(), b.parse::<Version>()) {
        (Ok(a), Ok(b)) => a.without_local() == b.without_local(),
        _ => a.eq_ignore_ascii_case(b),
    }
}

/// `ranges` with the internal bounds uv uses (a point just past every local label of
/// a version, before every pre-release of one, …) moved to the real versions next to
/// them, so that an interval without any real version in it is gone.
fn real(ranges: &Ranges<Version>) -> Ranges<Version> {
    uv_pep440::canonicalize_version_ranges(ranges).unwrap_or_else(|| ranges.clone())
}

/// The smallest version PEP 440 has.
fn min_version() -> Version {
    static MIN: std::sync::LazyLock<Version> =
        std::sync::LazyLock::new(|| "0.dev0".parse().expect("a valid version"));
    MIN.clone()
}

fn ranges_verdict(ranges: &Ranges<Version>) -> Verdict {
    let Some((lower, _)) = ranges.bounding_range() else {
        return Verdict::Unsatisfiable;
    };
    if let Some(version) = ranges.as_singleton() {
        return Verdict::One(version.to_string());
    }
    // The public version of the least admitted version: the set is one version when
    // it lies within that version and its local builds.
    let first = match lower {
        Bound::Included(version) => version.clone(),
        Bound::Excluded(version) => match version.local() {
            // Past one local build: the next are other builds of the same version.
            LocalVersionSlice::Segments(segments) if !segments.is_empty() => version.clone(),
            // Past every release of a version (`>1.0`): many releases follow.
            _ => return Verdict::Many,
        },
        Bound::Unbounded => min_version(),
    };
    let public = first.without_local();
    let builds = real(&Ranges::from(VersionSpecifier::equals_version(
        public.clone(),
    )));
    if ranges.subset_of(&builds) {
        Verdict::One(public.to_string())
    } else {
        Verdict::Many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(specifier: &str) -> Verdict {
        let specifiers = VersionSpecifiers::from_str(specifier).unwrap();
        Alternative::new(specifiers.iter(), []).verdict()
    }

    fn one(version: &str) -> Verdict {
        Verdict::One(version.to_string())
    }

    #[test]
    fn the_table_of_the_specifier_issue() {
        assert_eq!(verdict(">=1.2.0,<=1.2.0"), one("1.2.0"));
        assert_eq!(verdict("==1.0,>=1.0"), one("1.0"));
        assert_eq!(verdict(">=2.0,<2.0"), Verdict::Unsatisfiable);
        assert_eq!(verdict("==1.0,!=1.0"), Verdict::Unsatisfiable);
        assert_eq!(verdict(">=1.0,<1.0.1"), Verdict::Many);
        assert_eq!(verdict("==1.0.*"), Verdict::Many);
    }

    #[test]
    fn pins_ranges_and_empty_sets() {
        assert_eq!(verdict("==1.0"), one("1.0"));
        assert_eq!(verdict("==1.0,==1.0.0"), one("1.0.0"));
        assert_eq!(verdict("==1.0+cu118"), one("1.0+cu118"));
        assert_eq!(verdict("==1.0,!=1.0+cu118"), one("1.0"));
        assert_eq!(verdict("==1.0,==2.0"), Verdict::Unsatisfiable);
        assert_eq!(verdict(">=1.0,<1.0.post0"), one("1.0"));
        // `>1.0` starts after 1.0's post-releases; `<1.0.post0` ends before them.
        assert_eq!(verdict(">1.0,<1.0.post0"), Verdict::Unsatisfiable);
        assert_eq!(verdict(">1.0.dev0,<1.0.dev2"), one("1.0.dev1"));
        assert_eq!(verdict("<0"), Verdict::Unsatisfiable);
        assert_eq!(verdict("<0.dev1"), one("0.dev0"));
        assert_eq!(verdict("~=1.4.5,<=1.4.5"), one("1.4.5"));
        assert_eq!(verdict(">=1,<2,!=1.*"), Verdict::Unsatisfiable);
        assert_eq!(verdict(">=1.0"), Verdict::Many);
        assert_eq!(verdict("!=1.0"), Verdict::Many);
        assert_eq!(verdict(">1.0,<1.0.0.1"), Verdict::Many);
        assert_eq!(verdict(""), Verdict::Many);
    }

    #[test]
    fn arbitrary_equality_compares_text() {
        let arbitrary = |texts: &[&str], specifier: &str| {
            let specifiers = VersionSpecifiers::from_str(specifier).unwrap();
            Alternative::new(specifiers.iter(), texts.iter().copied()).verdict()
        };
        assert_eq!(arbitrary(&["foobar"], ""), one("foobar"));
        assert_eq!(arbitrary(&["a", "A"], ""), one("a"));
        assert_eq!(arbitrary(&["a", "b"], ""), Verdict::Unsatisfiable);
        assert_eq!(arbitrary(&["1.0"], ">=1"), one("1.0"));
        assert_eq!(arbitrary(&["1.0"], ">=2"), Verdict::Unsatisfiable);
        assert_eq!(arbitrary(&["foobar"], ">=2"), Verdict::Unsatisfiable);
        let alternative = Alternative::new([], ["1.0"]);
        assert!(alternative.contains(&Version::from_str("1.0").unwrap()));
        assert!(!alternative.contains(&Version::from_str("1.0.0").unwrap()));
    }

    #[test]
    fn examples_for_bounded_ranges() {
        let examples = |specifier: &str| {
            let specifiers = VersionSpecifiers::from_str(specifier).unwrap();
            Alternative::new(specifiers.iter(), []).examples()
        };
        assert_eq!(
            examples(">=1.0,<1.0.1"),
            Some((
                Some("1.0".into()),
                vec!["1.0.post1".into(), "1.0.0.1".into()]
            ))
        );
        assert_eq!(
            examples(">=1.2.3,<1.2.4"),
            Some((
                Some("1.2.3".into()),
                vec!["1.2.3.post1".into(), "1.2.3.1".into()]
            ))
        );
        // Plainly ranges.
        assert_eq!(examples("~=1.4.5"), None);
        assert_eq!(examples("==1.0.*"), None);
        assert_eq!(examples(">=0.6,<0.7"), None);
        assert_eq!(examples(">=4.2"), None);
        assert_eq!(examples("<2"), None);
    }
}
