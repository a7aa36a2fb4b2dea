//! Embeds every `rules/*.toml` file in the binary, so the built-in policy and the
//! rule files a user reads are one and the same.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    // Paths relative to the package root, and file contents included through the
    // compiler's own CARGO_MANIFEST_DIR: the output holds no absolute path, so two
    // checkouts sharing a target directory cannot embed each other's rules.
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("rules/ directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy();
        let relative = format!("rules/{name}");
        println!("cargo:rerun-if-changed={relative}");
        writeln!(
            out,
            "    ({relative:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {relative:?}))),"
        )
        .unwrap();
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out).unwrap();
}
