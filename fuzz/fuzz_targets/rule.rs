#![no_main]

//! The rule loader: any text is either a valid rule, which then evaluates over sample
//! manifests of every kind without a panic, or a configuration error whose span lies
//! inside the text and which renders without a panic.

use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use pinwarden::policy::Rule;

fuzz_target!(|data: &[u8]| {
    let Some(text) = pinwarden_fuzz::text(data) else {
        return;
    };
    match Rule::parse(text, Path::new("rule.toml"), "fuzz") {
        Ok(rule) => pinwarden_fuzz::evaluate_samples(&Arc::new(rule)),
        Err(err) => {
            if let Some(span) = &err.span {
                assert!(span.start <= span.end && span.end <= text.len(), "{err:?}");
            }
            let _ = format!("{:?}", err.to_report());
        }
    }
});
