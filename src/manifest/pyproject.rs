//! Parser for `pyproject.toml`: every place a Python project declares dependencies.
//!
//! - PEP 621 `[project] dependencies` and `optional-dependencies`;
//! - PEP 735 `[dependency-groups]`, where `{include-group = "…"}` must name a group;
//! - PEP 518 `[build-system] requires`;
//! - uv `[tool.uv] dev-/constraint-/override-dependencies`;
//! - PDM `[tool.pdm.dev-dependencies]` (entries may be `-e <url-or-path>`);
//! - Hatch `[tool.hatch.envs.<env>] dependencies` / `extra-dependencies`;
//! - Poetry dependency tables (see [`poetry`]);
//! - package indexes of uv, Poetry and PDM, as pip options (see [`sources`]).
//!
//! PEP 508 strings go through [`pep508::parse_requirement`]; a requirement's span is
//! its string literal, quotes included.

pub mod poetry;

use std::collections::HashSet;

use toml_edit::{Item as TomlItem, TableLike, Value};

use super::pep508::{self, pin_of_url, trim_span, url_ref};
use super::sources;
use super::standing;
use super::toml_spans::{self, TomlString};
use super::{Item, Requirement, canonicalize_name};

/// Parse the text of one file into items, in file order.
pub fn parse(text: &str) -> Vec<Item> {
    let doc = match toml_spans::parse_document(text) {
        Ok(doc) => doc,
        Err(err) => return vec![Item::ParseError(err)],
    };
    let mut parser = Parser {
        text,
        out: Vec::new(),
    };
    parser.document(doc.as_table());
    let kind = standing::pyproject_kind(doc.as_table());
    standing::mark_published(super::ManifestKind::Pyproject, kind, &mut parser.out);
    standing::uv_sources(doc.as_table(), &mut parser.out);
    // Stable: entries that share a start (none should) keep their discovery order.
    parser.out.sort_by_key(|item| item.span().start);
    parser.out
}

/// How the entries of a list of PEP 508 strings may look besides plain strings.
#[derive(Clone, Copy)]
enum ListKind<'a> {
    Plain,
    /// PDM: `-e <url-or-path>` entries are editable installs.
    AllowEditable,
    /// PEP 735: `{include-group = "name"}` tables naming one of these (normalised) groups.
    DependencyGroup(&'a HashSet<String>),
}

struct Parser<'t> {
    text: &'t str,
    out: Vec<Item>,
}

impl<'t> Parser<'t> {
    fn document(&mut self, root: &dyn TableLike) {
        if let Some(build) = self.table(root, "build-system", "build-system") {
            self.list(build, "requires", "build-system.requires", ListKind::Plain);
        }
        if let Some(project) = self.table(root, "project", "project") {
            self.list(
                project,
                "dependencies",
                "project.dependencies",
                ListKind::Plain,
            );
            self.lists_in(
                project,
                "optional-dependencies",
                "project.optional-dependencies",
                ListKind::Plain,
            );
        }
        if let Some(groups) = self.table(root, "dependency-groups", "dependency-groups") {
            let names: HashSet<String> = groups
                .iter()
                .map(|(name, _)| canonicalize_name(name).into_owned())
                .collect();
            for (group, _) in groups.iter() {
                self.list(
                    groups,
                    group,
                    &format!("dependency-groups.{group}"),
                    ListKind::DependencyGroup(&names),
                );
            }
        }
        if let Some(tool) = self.table(root, "tool", "tool") {
            self.tools(tool);
        }
    }

    fn tools(&mut self, tool: &dyn TableLike) {
        if let Some(uv) = self.table(tool, "uv", "tool.uv") {
            for key in [
                "dev-dependencies",
                "constraint-dependencies",
                "override-dependencies",
            ] {
                self.list(uv, key, &format!("tool.uv.{key}"), ListKind::Plain);
            }
            sources::uv(self.text, uv, &mut self.out);
        }
        if let Some(pdm) = self.table(tool, "pdm", "tool.pdm") {
            self.lists_in(
                pdm,
                "dev-dependencies",
                "tool.pdm.dev-dependencies",
                ListKind::AllowEditable,
            );
            sources::pdm(self.text, pdm, &mut self.out);
        }
        if let Some(envs) = self
            .table(tool, "hatch", "tool.hatch")
            .and_then(|hatch| self.table(hatch, "envs", "tool.hatch.envs"))
        {
            for (env, _) in envs.iter() {
                let path = format!("tool.hatch.envs.{env}");
                if let Some(table) = self.table(envs, env, &path) {
                    for key in ["dependencies", "extra-dependencies"] {
                        self.list(table, key, &format!("{path}.{key}"), ListKind::Plain);
                    }
                }
            }
        }
        if let Some(tool_poetry) = self.table(tool, "poetry", "tool.poetry") {
            sources::poetry(self.text, tool_poetry, &mut self.out);
            let declared = self.project_names();
            let none = HashSet::new();
            for key in ["dependencies", "dev-dependencies"] {
                let section = format!("tool.poetry.{key}");
                // Only the main table can enrich `[project]` dependencies.
                let declared = if key == "dependencies" {
                    &declared
                } else {
                    &none
                };
                if let Some(deps) = self.table(tool_poetry, key, &section) {
                    poetry::dependencies(self.text, deps, &section, declared, &mut self.out);
                }
            }
            if let Some(groups) = self.table(tool_poetry, "group", "tool.poetry.group") {
                for (group, _) in groups.iter() {
                    let path = format!("tool.poetry.group.{group}");
                    let section = format!("{path}.dependencies");
                    if let Some(deps) = self
                        .table(groups, group, &path)
                        .and_then(|g| self.table(g, "dependencies", &section))
                    {
                        poetry::dependencies(self.text, deps, &section, &none, &mut self.out);
                    }
                }
            }
        }
    }

    /// Canonical names of the `[project]` dependencies and optional dependencies found so far.
    fn project_names(&self) -> HashSet<String> {
        self.out
            .iter()
            .filter_map(|item| match item {
                Item::Requirement(req) if req.section.starts_with("project.") => {
                    req.canonical_name().map(std::borrow::Cow::into_owned)
                }
                _ => None,
            })
            .collect()
    }

    /// `parent[key]` as a table; present with another type is an error.
    fn table<'a>(
        &mut self,
        parent: &'a dyn TableLike,
        key: &str,
        path: &str,
    ) -> Option<&'a dyn TableLike> {
        let item = parent.get(key)?;
        let table = item.as_table_like();
        if table.is_none() {
            self.out.push(Item::ParseError(toml_spans::type_error(
                self.text,
                item,
                &format!("`{path}`"),
                "a table",
            )));
        }
        table
    }

    /// Every list in the table `parent[key]`, each its own section (`path.<name>`).
    fn lists_in(&mut self, parent: &dyn TableLike, key: &str, path: &str, kind: ListKind) {
        if let Some(table) = self.table(parent, key, path) {
            for (name, _) in table.iter() {
                self.list(table, name, &format!("{path}.{name}"), kind);
            }
        }
    }

    /// The array of PEP 508 strings at `parent[key]`, if present.
    fn list(&mut self, parent: &dyn TableLike, key: &str, section: &str, kind: ListKind) {
        let Some(item) = parent.get(key) else {
            return;
        };
        let Some(array) = item.as_array() else {
            self.out.push(Item::ParseError(toml_spans::type_error(
                self.text,
                item,
                &format!("`{section}`"),
                "an array of PEP 508 strings",
            )));
            return;
        };
        for value in array.iter() {
            if let Some(string) = toml_spans::string_value(self.text, value) {
                let editable = matches!(kind, ListKind::AllowEditable);
                let item = requirement_string(&string, section, editable);
                self.out.push(item);
                continue;
            }
            match (kind, value) {
                (ListKind::DependencyGroup(groups), Value::InlineTable(table)) => {
                    self.include_group(table, value, groups, section);
                }
                _ => self.out.push(Item::ParseError(toml_spans::value_type_error(
                    self.text,
                    value,
                    &format!("`{section}`"),
                    "a PEP 508 string",
                ))),
            }
        }
    }

    /// PEP 735: an include is exactly `{include-group = "name"}` naming a group of this file.
    fn include_group(
        &mut self,
        table: &dyn TableLike,
        value: &Value,
        groups: &HashSet<String>,
        section: &str,
    ) {
        let target = table.get("include-group");
        let message = match (target.and_then(TomlItem::as_str), table.len()) {
            (Some(name), 1) if groups.contains(canonicalize_name(name).as_ref()) => return,
            (Some(name), 1) => {
                let span = target.map(toml_spans::span_of).unwrap_or_default();
                self.out.push(Item::ParseError(toml_spans::error(
                    self.text,
                    span,
                    format!("`{section}` includes `{name}`, which is not a dependency group"),
                )));
                return;
            }
            _ => format!(
                "`{section}`: a table entry must be `{{include-group = \"<group>\"}}` and nothing else"
            ),
        };
        self.out.push(Item::ParseError(toml_spans::error(
            self.text,
            value.span().unwrap_or_default(),
            message,
        )));
    }
}

/// One PEP 508 string from a TOML array.
fn requirement_string(string: &TomlString, section: &str, allow_editable: bool) -> Item {
    let value = &string.value;
    let (offset, editable) = allow_editable
        .then(|| editable_prefix(value))
        .flatten()
        .map_or((0, false), |offset| (offset, true));
    let input = &value[offset..];
    let map = string.map_from(offset);
    match pep508::parse_requirement(input, &map, section) {
        Ok(mut req) => {
            req.span = string.literal.clone();
            req.editable = editable;
            Item::Requirement(req)
        }
        Err(_) if editable => Item::Requirement(editable_location(string, offset, section)),
        Err(err) => Item::ParseError(err),
    }
}

/// The offset after `-e ` / `--editable ` (and the spaces after it), if present.
fn editable_prefix(value: &str) -> Option<usize> {
    let trimmed = value.trim_start();
    let rest = ["-e ", "--editable ", "-e\t", "--editable\t"]
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))?;
    Some(value.len() - rest.trim_start().len())
}

/// PDM's `-e <url-or-path>` without a PEP 508 name: named by its `#egg=` fragment if any.
fn editable_location(string: &TomlString, offset: usize, section: &str) -> Requirement {
    let value = &string.value;
    let location = trim_span(value, offset..value.len());
    let url = url_ref(&value[location.clone()], string.span_of(location.clone()));
    let egg = value[location.clone()].find("egg=").and_then(|at| {
        let start = location.start + at + "egg=".len();
        let len = value[start..location.end]
            .find(['&', '#', ' '])
            .unwrap_or(location.end - start);
        (len > 0).then_some(start..start + len)
    });
    Requirement {
        name: egg.clone().map(|egg| value[egg].into()),
        name_span: egg.map(|egg| string.span_of(egg)),
        pin: pin_of_url(&url, false),
        url: Some(Box::new(url)),
        editable: true,
        ..Requirement::bare(string.literal.clone(), section)
    }
}

#[cfg(test)]
mod tests;
