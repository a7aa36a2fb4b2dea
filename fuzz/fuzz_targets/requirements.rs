#![no_main]

use libfuzzer_sys::fuzz_target;
use pinwarden::manifest::{ManifestKind, requirements};

fuzz_target!(|data: &[u8]| {
    if let Some(text) = pinwarden_fuzz::text(data) {
        pinwarden_fuzz::check(ManifestKind::Requirements, text);
        // The plain-line reader gives what the general reading gives, item for item.
        assert_eq!(
            requirements::parse(text),
            requirements::parse_generally(text),
            "{text:?}"
        );
    }
});
