//! The `canonical-pin` fix: a specifier that admits exactly one version, written as a
//! range (`>=1.2,<=1.2`), is rewritten as the one `==` that admits the same versions.

use crate::manifest::admitted::canonical_specifier;
use crate::policy::Finding;
use crate::policy::engine::Edit;
use crate::project::SourceFile;

/// The fix's name in rule files (`fix = "canonical-pin"`).
pub const FIX_NAME: &str = "canonical-pin";

/// Attach the edit to every finding of a rule with this fix in `file`.
pub fn attach_fixes(findings: &mut [Finding], file: &SourceFile) {
    for finding in findings.iter_mut() {
        if finding.rule.fix.as_deref() != Some(FIX_NAME) {
            continue;
        }
        let Some(req) = file.manifest.requirement_at(&finding.span) else {
            continue;
        };
        let Some(span) = req.specifier_span.clone() else {
            continue;
        };
        // Only where the text is still what was read, so the edit cannot misplace.
        if file.manifest.text.get(span.clone()) != Some(req.specifier.as_str()) {
            continue;
        }
        if let Some(replacement) = canonical_specifier(file.manifest.kind, req) {
            finding.fix = Some(Box::new(Edit {
                span,
                replacement,
                unsafe_fix: false,
                relock: None,
                start: Default::default(),
                end: Default::default(),
            }));
        }
    }
}
