#![no_main]

//! The lock readers: the first byte picks a format; the rest is read as that lock, both
//! for its sources (with spans, through every rule) and for its versions.

use libfuzzer_sys::fuzz_target;
use pinwarden::lock::{LockFile, LockFormat};
use pinwarden::manifest::ManifestKind;

const FORMATS: [LockFormat; 5] = [
    LockFormat::Uv,
    LockFormat::Poetry,
    LockFormat::Pdm,
    LockFormat::Pipfile,
    LockFormat::Pylock,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(selector) % FORMATS.len()];
    if let Some(text) = pinwarden_fuzz::text(rest) {
        let kind = ManifestKind::of_lock_format(format).expect("a lock file kind");
        pinwarden_fuzz::check(kind, text);
        let _ = LockFile::parse(format, text);
    }
});
