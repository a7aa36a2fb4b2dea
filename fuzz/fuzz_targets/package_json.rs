#![no_main]

use libfuzzer_sys::fuzz_target;
use pinwarden::manifest::ManifestKind;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = pinwarden_fuzz::text(data) {
        pinwarden_fuzz::check(ManifestKind::PackageJson, text);
        pinwarden_fuzz::check(ManifestKind::PnpmWorkspace, text);
    }
});
