#![no_main]

//! Raw bytes as they come off the disk: decoding (UTF-8, BOMs, UTF-16, NUL bytes) and
//! then the parser the first byte selects, on whatever text decoding produced.

use libfuzzer_sys::fuzz_target;
use pinwarden::manifest::ManifestKind;
use pinwarden::manifest::text::decode;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = ManifestKind::ALL[usize::from(selector) % ManifestKind::ALL.len()];
    if let Ok((text, _encoding)) = decode(bytes) {
        pinwarden_fuzz::check(kind, &text);
    }
});
