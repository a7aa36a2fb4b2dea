//! Dockerfiles: the images a build starts from (`FROM`) or copies from
//! (`COPY --from=image`), the files it downloads
//! (`ADD https://…`), and the packages its `RUN` lines install (see
//! [`install`](super::install)).
//!
//! The syntax is read by `parse-dockerfile` (continuation lines, the `escape` parser
//! directive, heredocs, flags, exec and shell forms), which keeps a byte span on every
//! part. On top of it: build arguments declared before the first `FROM` are put into
//! `FROM` lines as Docker does (`${PY:-3.12}` too), and a `FROM` naming an earlier
//! stage (`FROM builder`) or `scratch` is no image to pull.

use std::collections::HashMap;

use parse_dockerfile::{Instruction, Source};

use super::install;
use super::text::LineIndex;
use super::{Download, ImageRef, Item, ParseError, Span};

pub fn parse(text: &str) -> Vec<Item> {
    let dockerfile = match parse_dockerfile::parse(text) {
        Ok(dockerfile) => dockerfile,
        Err(err) => return vec![Item::ParseError(error_item(text, &err))],
    };
    let mut items = Vec::new();
    // Build arguments in scope for `FROM`: those declared before the first one.
    let mut global_args: HashMap<String, Option<String>> = HashMap::new();
    let mut seen_from = false;
    let mut stages: Vec<String> = Vec::new();
    for instruction in &dockerfile.instructions {
        match instruction {
            Instruction::Arg(arg) if !seen_from => {
                for (name, default) in arg_definitions(&arg.arguments.value) {
                    global_args.insert(name, default);
                }
            }
            Instruction::From(from) => {
                seen_from = true;
                let written = from.image.value.as_ref();
                if let Some(image) = substitute(written, &global_args)
                    && !is_stage_or_scratch(&image, &stages)
                {
                    items.push(Item::Image(image_ref(
                        image,
                        from.image.span.clone(),
                        "from",
                    )));
                }
                if let Some((_, name)) = &from.as_ {
                    stages.push(name.value.to_ascii_lowercase());
                }
            }
            // `COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/` pulls that image; a
            // `--from` naming a stage (or its index) copies from the build.
            Instruction::Copy(copy) => {
                for flag in &copy.options {
                    if !flag.name.value.eq_ignore_ascii_case("from") {
                        continue;
                    }
                    let Some(value) = &flag.value else { continue };
                    let is_index = value.value.bytes().all(|b| b.is_ascii_digit());
                    if let Some(image) = substitute(&value.value, &global_args)
                        && !is_index
                        && !is_stage_or_scratch(&image, &stages)
                    {
                        items.push(Item::Image(image_ref(image, value.span.clone(), "copy")));
                    }
                }
            }
            Instruction::Add(add) => {
                let checksum = add
                    .options
                    .iter()
                    .any(|flag| flag.name.value.eq_ignore_ascii_case("checksum"));
                for source in &add.src {
                    if let Source::Path(path) = source
                        && is_remote(&path.value)
                    {
                        items.push(Item::Download(Download {
                            span: path.span.clone(),
                            url: path.value.to_string(),
                            checksum,
                        }));
                    }
                }
            }
            Instruction::Run(run) => {
                if let parse_dockerfile::Command::Shell(shell) = &run.arguments {
                    items.extend(install::commands(text, shell.span.clone()));
                }
                for here_doc in &run.here_docs {
                    items.extend(install::commands(text, here_doc.span.clone()));
                }
            }
            _ => {}
        }
    }
    items
}

/// A parse error at the position the parser gives, to the end of its line.
fn error_item(text: &str, err: &parse_dockerfile::Error) -> ParseError {
    let index = LineIndex::new(text);
    let line = err
        .line()
        .saturating_sub(1)
        .min(index.line_count().saturating_sub(1));
    let line_span = index.line_span(text, line);
    let start = (line_span.start + err.column().saturating_sub(1)).min(line_span.end);
    let start = floor_char_boundary(text, start);
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |end| start + end);
    ParseError {
        span: start..end,
        message: format!("invalid Dockerfile: {err}"),
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `ARG A=1 B="two words" C`: each name with its default, unquoted as Docker does.
fn arg_definitions(arguments: &str) -> Vec<(String, Option<String>)> {
    let words = shlex::split(arguments).unwrap_or_default();
    words
        .into_iter()
        .map(|word| match word.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (word, None),
        })
        .collect()
}

/// `text` with `$NAME`, `${NAME}`, `${NAME:-fallback}` and `${NAME:+alternative}` put
/// in from `args`; `None` when a variable has no value to put in (the image is only
/// known at build time).
fn substitute(text: &str, args: &HashMap<String, Option<String>>) -> Option<String> {
    let value_of = |name: &str| args.get(name).cloned().flatten();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        if let Some(braced) = after.strip_prefix('{') {
            let close = braced.find('}')?;
            let inner = &braced[..close];
            let value = if let Some((name, fallback)) = inner.split_once(":-") {
                value_of(name)
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| fallback.to_string())
            } else if let Some((name, alternative)) = inner.split_once(":+") {
                match value_of(name) {
                    Some(value) if !value.is_empty() => alternative.to_string(),
                    _ => String::new(),
                }
            } else {
                value_of(inner)?
            };
            out.push_str(&value);
            rest = &braced[close + 1..];
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(&value_of(&after[..end])?);
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    Some(out)
}

fn is_stage_or_scratch(image: &str, stages: &[String]) -> bool {
    let lower = image.to_ascii_lowercase();
    lower == "scratch" || stages.contains(&lower)
}

/// `registry:5000/org/app:1.2@sha256:…` split into name, tag and digest.
fn image_ref(image: String, span: Span, context: &'static str) -> ImageRef {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest.to_string())),
        None => (image.as_str(), None),
    };
    // A tag follows the last `:` after the last `/` (a registry's port comes before).
    let last_slash = rest.rfind('/').map_or(0, |at| at + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(colon) => (
            rest[..last_slash + colon].to_string(),
            Some(rest[last_slash + colon + 1..].to_string()),
        ),
        None => (rest.to_string(), None),
    };
    ImageRef {
        span,
        name,
        tag,
        digest,
        image,
        context,
    }
}

/// A source `ADD` downloads: a URL (`https://…`, `http://…`) or a git repository.
fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("git@")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images(text: &str) -> Vec<(String, String, &'static str)> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Image(image) => Some((
                    text[image.span.clone()].to_string(),
                    image.image.clone(),
                    image.pin(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn from_lines_with_arguments_stages_and_scratch() {
        let text = "\
# syntax=docker/dockerfile:1
ARG PY=3.12
ARG BASE
FROM python:${PY}-slim AS build
RUN echo hi
FROM build AS test
FROM --platform=$BUILDPLATFORM node:20@sha256:0123 AS web
FROM ${BASE}
FROM ${BASE:-debian}:bookworm
FROM scratch
FROM ubuntu
FROM ubuntu:latest
FROM ghcr.io/org/app:1.2
FROM localhost:5000/app
COPY --from=build /a /b
COPY --from=0 /a /b
COPY --from=ghcr.io/astral-sh/uv:0.9.26 /uv /bin/
";
        assert_eq!(
            images(text),
            [
                ("python:${PY}-slim".into(), "python:3.12-slim".into(), "tag"),
                (
                    "node:20@sha256:0123".into(),
                    "node:20@sha256:0123".into(),
                    "digest"
                ),
                (
                    "${BASE:-debian}:bookworm".into(),
                    "debian:bookworm".into(),
                    "tag"
                ),
                ("ubuntu".into(), "ubuntu".into(), "none"),
                ("ubuntu:latest".into(), "ubuntu:latest".into(), "latest"),
                (
                    "ghcr.io/org/app:1.2".into(),
                    "ghcr.io/org/app:1.2".into(),
                    "tag"
                ),
                (
                    "localhost:5000/app".into(),
                    "localhost:5000/app".into(),
                    "none"
                ),
                (
                    "ghcr.io/astral-sh/uv:0.9.26".into(),
                    "ghcr.io/astral-sh/uv:0.9.26".into(),
                    "tag"
                ),
            ]
        );
    }

    #[test]
    fn downloads_and_their_checksums() {
        let text = "FROM a@sha256:1\nADD https://example.com/a.tgz /a\nADD --checksum=sha256:00 https://example.com/b.tgz /b\nADD ./local /c\n";
        let downloads: Vec<(String, bool)> = parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Download(d) => Some((text[d.span].to_string(), d.checksum)),
                _ => None,
            })
            .collect();
        assert_eq!(
            downloads,
            [
                ("https://example.com/a.tgz".into(), false),
                ("https://example.com/b.tgz".into(), true),
            ]
        );
    }

    #[test]
    fn a_syntax_error_is_an_item_on_its_line() {
        let text = "FROM a\nNOTANINSTRUCTION x\n";
        let items = parse(text);
        let [Item::ParseError(error)] = items.as_slice() else {
            panic!("{items:?}");
        };
        assert!(error.span.start >= 7, "{error:?}");
    }
}
