//! Embeds every `rules/*.toml` file in the binary, so the built-in policy and the
//! rule files a user reads are one and the same.
//!
//! Each file is split here into its policy (what the engine evaluates) and its prose:
//! the `docs` string and the `[examples]` table. Every run parses the policy; the prose,
//! two thirds of the text, is read only by `pinwarden rule`, SARIF's rule list and the
//! test suite, so a pre-commit run does not pay to parse it. The split is done by
//! toml_edit, which keeps the policy's own text as written.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
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
        // Paths relative to the package root: the output holds no absolute path, so
        // two checkouts sharing a target directory cannot embed each other's rules.
        let relative = format!("rules/{name}");
        println!("cargo:rerun-if-changed={relative}");
        let text = std::fs::read_to_string(&path).expect("readable rule file");
        let (policy, docs, examples) = split(&text);
        writeln!(
            out,
            "    BuiltinRuleFile {{ path: {relative:?}, policy: {policy:?}, docs: {docs:?}, examples: {examples:?} }},"
        )
        .unwrap();
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out).unwrap();
}

/// The policy text, the `docs` string and the `[examples]` table as a TOML document of
/// its own. A file that does not parse, or whose `docs` is not a string, is embedded
/// whole as its policy, so that loading it reports the error with its real span.
fn split(text: &str) -> (String, String, String) {
    let Ok(mut document) = text.parse::<toml_edit::DocumentMut>() else {
        return (text.to_string(), String::new(), String::new());
    };
    let docs = match document.get("docs").map(|item| item.as_str()) {
        Some(Some(docs)) => docs.to_string(),
        Some(None) => return (text.to_string(), String::new(), String::new()),
        None => String::new(),
    };
    document.remove("docs");
    let examples = match document.remove("examples") {
        Some(item) => {
            let mut own = toml_edit::DocumentMut::new();
            own.insert("examples", item);
            own.to_string()
        }
        None => String::new(),
    };
    (document.to_string(), docs, examples)
}
