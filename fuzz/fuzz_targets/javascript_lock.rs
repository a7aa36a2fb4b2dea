#![no_main]

use libfuzzer_sys::fuzz_target;
use pinwarden::manifest::ManifestKind;

// The lock formats share their readers' pieces (URL sources, descriptors), and a text
// of one format is a hostile input for the others.
fuzz_target!(|data: &[u8]| {
    if let Some(text) = pinwarden_fuzz::text(data) {
        for kind in [
            ManifestKind::PnpmLock,
            ManifestKind::NpmLock,
            ManifestKind::YarnLock,
            ManifestKind::Npmrc,
        ] {
            pinwarden_fuzz::check(kind, text);
        }
    }
});
