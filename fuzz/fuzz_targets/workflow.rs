#![no_main]

use libfuzzer_sys::fuzz_target;
use pinwarden::manifest::ManifestKind;

// Both workflow parsers share the YAML layer; each input goes through both.
fuzz_target!(|data: &[u8]| {
    if let Some(text) = pinwarden_fuzz::text(data) {
        pinwarden_fuzz::check(ManifestKind::Workflow, text);
        pinwarden_fuzz::check(ManifestKind::Action, text);
    }
});
