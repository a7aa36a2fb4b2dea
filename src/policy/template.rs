//! Message templates: `` `{name}` allows more than one version ``. `{field}` is replaced
//! by a value; `{{` and `}}` are literal braces; a `{` without its `}` is literal too.
//!
//! A template is split into text and placeholders once, when its rule is loaded: a
//! large run renders three templates for each of tens of thousands of findings.

use std::sync::Arc;

/// A template, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    /// The text of a template without placeholders, made once and shared by every
    /// finding it labels: a large run holds a hundred thousand findings.
    constant: Option<Arc<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Placeholder(String),
}

impl Template {
    pub fn parse(source: &str) -> Template {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = source;
        while let Some(open) = rest.find(['{', '}']) {
            text.push_str(&rest[..open]);
            let tail = &rest[open..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                text.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            if tail.starts_with('{')
                && let Some(close) = tail.find('}')
            {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Placeholder(tail[1..close].to_string()));
                rest = &tail[close + 1..];
                continue;
            }
            text.push_str(&tail[..1]);
            rest = &tail[1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let constant = match parts.as_slice() {
            [] => Some(Arc::from("")),
            [Part::Text(text)] => Some(Arc::from(text.as_str())),
            _ => None,
        };
        Template { parts, constant }
    }

    /// The names of its placeholders, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Placeholder(name) => Some(name.as_str()),
            Part::Text(_) => None,
        })
    }

    /// The text with each placeholder replaced: `write` appends the value of the
    /// named one to the text so far (nothing, for a name it does not know).
    pub fn render(&self, write: &dyn Fn(&str, &mut String)) -> String {
        let mut out = String::with_capacity(self.len_hint());
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Placeholder(name) => write(name, &mut out),
            }
        }
        out
    }

    /// [`Template::render`], shared: the text itself when there is nothing to fill in.
    pub fn render_shared(&self, write: &dyn Fn(&str, &mut String)) -> Arc<str> {
        match &self.constant {
            Some(text) => Arc::clone(text),
            None => Arc::from(self.render(write)),
        }
    }

    /// [`Template::render_with`], shared like [`Template::render_shared`].
    pub fn render_shared_with(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Arc<str> {
        match &self.constant {
            Some(text) => Arc::clone(text),
            None => Arc::from(self.render_with(lookup)),
        }
    }

    /// [`Template::render`] with values that are already strings.
    pub fn render_with(&self, lookup: &dyn Fn(&str) -> Option<String>) -> String {
        self.render(&|name, out| {
            if let Some(value) = lookup(name) {
                out.push_str(&value);
            }
        })
    }

    fn len_hint(&self) -> usize {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.len(),
                Part::Placeholder(_) => 16,
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str) -> String {
        Template::parse(source).render_with(&|f| (f == "name").then(|| "flask".to_string()))
    }

    #[test]
    fn placeholders_braces_and_unclosed_text() {
        assert_eq!(render("`{name}` {{x}} {missing}!"), "`flask` {x} !");
        assert_eq!(render("unclosed {name"), "unclosed {name");
        assert_eq!(render("a } b {{"), "a } b {");
        assert_eq!(render("{name}{name}"), "flaskflask");
        assert_eq!(render(""), "");
    }
}
