#![no_main]

//! The whole pipeline on arbitrary bytes read as each manifest family, with and
//! without directives and configuration tables, in every output format and a baseline.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pinwarden_fuzz::pipeline(data);
});
