//! Which requirements a rule can match, decided when the rule is loaded.
//!
//! Most rules about requirements test how one is pinned (`pin = "none"`,
//! `pin in ["range", "wildcard"]`), whether it is editable, or its URL, which most
//! requirements do not have. Those few facts are a requirement's [`Shape`]; a rule's
//! condition is evaluated once for each of the few shapes, with every other field
//! unknown, and where that already says "no match", requirements of the shape are
//! skipped without a lookup.

use super::fields::{Field, Value};
use super::predicate::Predicate;
use crate::manifest::{Pin, Requirement};

/// The facts about a requirement that decide most rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub pin: Pin,
    pub editable: bool,
    pub has_url: bool,
}

impl Shape {
    pub fn of(req: &Requirement) -> Shape {
        Shape {
            pin: req.pin,
            editable: req.editable,
            has_url: req.url.is_some(),
        }
    }

    /// How many shapes there are: each has an [`Shape::index`] below it.
    pub const COUNT: usize = Pin::ALL.len() * 4;

    /// A distinct number below [`Shape::COUNT`] (and 64) for each shape.
    pub fn index(self) -> u32 {
        let pin = self.pin as u32;
        pin * 4 + u32::from(self.editable) * 2 + u32::from(self.has_url)
    }

    fn all() -> impl Iterator<Item = Shape> {
        Pin::ALL.into_iter().flat_map(|pin| {
            [(false, false), (false, true), (true, false), (true, true)].map(
                |(editable, has_url)| Shape {
                    pin,
                    editable,
                    has_url,
                },
            )
        })
    }

    /// The value of `field` in every requirement of this shape (`Some(None)`: absent
    /// in all of them), or `None` when it differs between them.
    pub fn field(self, field: Field) -> Option<Option<Value<'static>>> {
        match field {
            Field::Pin => Some(Some(Value::Text(self.pin.as_str().into()))),
            Field::Editable => Some(Some(Value::Bool(self.editable))),
            Field::Url | Field::Vcs | Field::Rev if !self.has_url => Some(None),
            Field::Local if !self.has_url => Some(Some(Value::Bool(false))),
            _ => None,
        }
    }
}

/// The shapes of requirement a condition may match: a bit per [`Shape::index`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shapes(u64);

impl Shapes {
    /// Every shape: a condition that no shape decides.
    pub const ALL: Shapes = Shapes((1 << Shape::COUNT) - 1);
    const _FITS: () = assert!(Shape::COUNT < 64);

    /// Every shape for which `predicate` is not certainly false.
    pub fn matched_by(predicate: &Predicate) -> Shapes {
        let mut bits = 0;
        for shape in Shape::all() {
            if predicate.eval_partial(&|field| shape.field(field)) != Some(false) {
                bits |= 1 << shape.index();
            }
        }
        Shapes(bits)
    }

    pub fn contains(self, shape: Shape) -> bool {
        self.0 & (1 << shape.index()) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::toml_spans::keyed_requirement;
    use crate::manifest::{Item, ManifestKind, UrlRef};
    use crate::policy::fields::{Context, Subject};
    use crate::policy::predicate::Test;
    use std::path::Path;

    fn requirement(pin: Pin, editable: bool, url: Option<(&str, bool)>) -> Requirement {
        let mut req = keyed_requirement("a", 0..1, 0..1, "requirements").expect("a name");
        req.pin = pin;
        req.editable = editable;
        req.url = url.map(|(url, local_path)| {
            Box::new(UrlRef {
                url: url.into(),
                span: 0..1,
                vcs: url.starts_with("git+").then(|| "git".into()),
                rev: None,
                hash_fragment: false,
                local_path,
            })
        });
        req
    }

    /// What a shape says of a field is what the lookup of every requirement of that
    /// shape gives.
    #[test]
    fn a_shape_knows_only_what_all_its_requirements_share() {
        let urls = [
            None,
            Some(("git+https://h/r", false)),
            Some(("./pkg", true)),
        ];
        for pin in Pin::ALL {
            for editable in [false, true] {
                for url in urls {
                    let req = requirement(pin, editable, url);
                    let item = Item::Requirement(req.clone());
                    let ctx = Context {
                        subject: Subject::Item(&item),
                        kind: ManifestKind::Requirements,
                        path: Path::new("requirements.txt"),
                    };
                    for field in Field::all() {
                        if let Some(known) = Shape::of(&req).field(field) {
                            assert_eq!(ctx.get(field), known, "{field:?} of {req:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn shapes_a_pin_test_can_match() {
        let unpinned = Predicate::Test {
            field: Field::Pin,
            test: Test::Equals(Value::Text("none".into())),
        };
        let shapes = Shapes::matched_by(&unpinned);
        let shape = |pin, has_url| Shape {
            pin,
            editable: false,
            has_url,
        };
        assert!(shapes.contains(shape(Pin::None, false)));
        assert!(!shapes.contains(shape(Pin::Exact, false)));
        let with_url = Predicate::Test {
            field: Field::Url,
            test: Test::Exists(true),
        };
        let shapes = Shapes::matched_by(&with_url);
        assert!(shapes.contains(shape(Pin::Url, true)));
        assert!(!shapes.contains(shape(Pin::Exact, false)));
        let name = Predicate::Test {
            field: Field::Name,
            test: Test::Equals(Value::Text("a".into())),
        };
        assert_eq!(Shapes::matched_by(&name), Shapes::ALL);
    }
}
