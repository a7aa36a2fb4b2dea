//! YAML documents with byte spans, for the YAML manifest families (GitHub Actions
//! workflows and action metadata, pre-commit configuration).
//!
//! The parser is `saphyr-parser`: a maintained, pure-Rust YAML 1.2 parser (the successor
//! of `yaml-rust`/`yaml-rust2`) that emits events with a start and end position for each
//! node, and keeps its state on a heap stack rather than recursing, so nesting cannot
//! overflow the stack. `serde_yaml` is deprecated and unmaintained; `marked-yaml` gives
//! start positions but no ends, and a span must end where the flagged text ends.
//!
//! saphyr counts positions in characters; they are turned into byte offsets here. The
//! events are built into a flat arena of nodes (an alias refers to its anchor's node,
//! never copied, so a "billion laughs" document stays as small as its text), and only
//! the first document is read, as GitHub and pre-commit read it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::Span;

/// Index of a node in [`Yaml::nodes`].
pub type NodeId = usize;

/// Deeper nodes are skipped: no manifest read here nests more than a handful of levels,
/// and a bound keeps every walk over the tree short.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar(Scalar),
    Mapping(Vec<(NodeId, NodeId)>, Span),
    Sequence(Vec<NodeId>, Span),
    /// An alias to an unknown anchor, or a node too deep to keep.
    Nothing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The value after unquoting and unescaping.
    pub value: String,
    /// The scalar as written, quotes included.
    pub span: Span,
    /// Where the value starts in the file when it is written there byte for byte (a
    /// plain scalar, or a quoted one without escapes or line folding).
    pub verbatim_start: Option<usize>,
    pub plain: bool,
}

impl Scalar {
    /// The span of `range` (offsets into the value) in the file: exact when the value
    /// is written verbatim, the whole scalar otherwise.
    pub fn span_of(&self, range: Span) -> Span {
        match self.verbatim_start {
            Some(start) => start + range.start..start + range.end,
            None => self.span.clone(),
        }
    }

    /// The span of the value itself (without quotes when written verbatim).
    pub fn value_span(&self) -> Span {
        self.span_of(0..self.value.len())
    }
}

/// A parsed document: its nodes, and the first error, if the text is not valid YAML.
#[derive(Debug, Default)]
pub struct Yaml {
    pub nodes: Vec<Node>,
    pub root: Option<NodeId>,
    pub error: Option<(String, Span)>,
    /// Spans of quoted and block scalars, in order: a `#` inside one is no comment.
    pub opaque: Vec<Span>,
    /// Answers of [`Yaml::get`]: through aliases many places share one mapping, and
    /// each is looked up once.
    lookups: RefCell<HashMap<(NodeId, &'static str), Option<NodeId>>>,
}

/// Character index → byte offset, stored sparsely: only non-ASCII characters cost
/// memory.
struct Offsets {
    /// `(char index, extra bytes of the characters up to and including it)`.
    wide: Vec<(usize, usize)>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let mut wide = Vec::new();
        let mut extra = 0;
        for (index, ch) in text.chars().enumerate() {
            if !ch.is_ascii() {
                extra += ch.len_utf8() - 1;
                wide.push((index, extra));
            }
        }
        Offsets {
            wide,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let before = self.wide.partition_point(|(index, _)| *index < char_index);
        let extra = before.checked_sub(1).map_or(0, |i| self.wide[i].1);
        (char_index + extra).min(self.len)
    }
}

enum Frame {
    Mapping(NodeId, Option<NodeId>),
    Sequence(NodeId),
}

impl Yaml {
    pub fn parse(text: &str) -> Yaml {
        let offsets = Offsets::new(text);
        let mut yaml = Yaml::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut anchors: HashMap<usize, NodeId> = HashMap::new();
        // Nesting below MAX_DEPTH: how many open collections are being skipped.
        let mut skipping = 0usize;
        let mut documents = 0usize;
        let mut parser = Parser::new_from_str(text);
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(error)) => {
                    let at = offsets.byte(error.marker().index());
                    let at = super::text::floor_char_boundary(text, at);
                    let end = text[at..]
                        .find(['\r', '\n'])
                        .map_or(text.len(), |n| at + n)
                        .max(at);
                    yaml.error = Some((format!("invalid YAML: {}", error.info()), at..end));
                    break;
                }
            };
            let start = offsets.byte(span.start.index());
            let end = offsets.byte(span.end.index()).max(start);
            let span = super::text::clamp_span(text, start..end);
            if skipping > 0 {
                match event {
                    Event::MappingStart(..) | Event::SequenceStart(..) => skipping += 1,
                    Event::MappingEnd | Event::SequenceEnd => skipping -= 1,
                    _ => {}
                }
                if skipping == 0 {
                    let id = yaml.push(Node::Nothing);
                    yaml.attach(&mut stack, id);
                }
                continue;
            }
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                }
                Event::Scalar(value, style, anchor, _) => {
                    let plain = style == ScalarStyle::Plain;
                    // saphyr ends a quoted scalar's span where the next token starts,
                    // past any comment: it ends at the closing quote.
                    let span = match style {
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                            span.start..quoted_end(text, span.start).unwrap_or(span.end)
                        }
                        _ => span,
                    };
                    if !plain {
                        yaml.opaque.push(span.clone());
                    }
                    let verbatim_start = verbatim_start(text, &span, &value, style);
                    let id = yaml.push(Node::Scalar(Scalar {
                        value: value.into_owned(),
                        span,
                        verbatim_start,
                        plain,
                    }));
                    if anchor > 0 {
                        anchors.insert(anchor, id);
                    }
                    yaml.attach(&mut stack, id);
                }
                Event::Alias(anchor) => {
                    let id = match anchors.get(&anchor) {
                        Some(id) => *id,
                        None => yaml.push(Node::Nothing),
                    };
                    yaml.attach(&mut stack, id);
                }
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                    if stack.len() >= MAX_DEPTH {
                        skipping = 1;
                        continue;
                    }
                    let mapping = matches!(event, Event::MappingStart(..));
                    let id = yaml.push(if mapping {
                        Node::Mapping(Vec::new(), span)
                    } else {
                        Node::Sequence(Vec::new(), span)
                    });
                    if anchor > 0 {
                        anchors.insert(anchor, id);
                    }
                    stack.push(if mapping {
                        Frame::Mapping(id, None)
                    } else {
                        Frame::Sequence(id)
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(Frame::Mapping(id, _) | Frame::Sequence(id)) = stack.pop() {
                        if let Node::Mapping(_, open) | Node::Sequence(_, open) =
                            &mut yaml.nodes[id]
                        {
                            open.end = span.end.max(open.start);
                        }
                        yaml.attach(&mut stack, id);
                    }
                }
                _ => {}
            }
        }
        yaml
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Put a finished node in the collection being built, or make it the root.
    fn attach(&mut self, stack: &mut [Frame], id: NodeId) {
        match stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
            Some(Frame::Sequence(seq)) => {
                if let Node::Sequence(items, _) = &mut self.nodes[*seq] {
                    items.push(id);
                }
            }
            Some(Frame::Mapping(map, pending)) => match pending.take() {
                None => *pending = Some(id),
                Some(key) => {
                    if let Node::Mapping(entries, _) = &mut self.nodes[*map] {
                        entries.push((key, id));
                    }
                }
            },
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        self.nodes.get(id).unwrap_or(&Node::Nothing)
    }

    pub fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match self.node(id) {
            Node::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The entries of a mapping, with the entries of `<<` merge keys after its own (one
    /// level of merging: what GitHub and pre-commit configurations use). Each key once,
    /// each merged mapping once, so a merge of many aliases costs what its text does.
    pub fn entries(&self, id: NodeId) -> Vec<(&Scalar, NodeId)> {
        let Node::Mapping(entries, _) = self.node(id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut keys: HashSet<&str> = HashSet::new();
        let mut merged = Vec::new();
        for (key, value) in entries {
            match self.scalar(*key) {
                Some(key) if key.plain && key.value == "<<" => merged.push(*value),
                Some(key) if keys.insert(&key.value) => out.push((key, *value)),
                _ => {}
            }
        }
        let mut sources_seen = HashSet::new();
        for value in merged {
            let sources = match self.node(value) {
                Node::Sequence(items, _) => items.as_slice(),
                _ => std::slice::from_ref(&value),
            };
            for &source in sources {
                if !sources_seen.insert(source) {
                    continue;
                }
                if let Node::Mapping(entries, _) = self.node(source) {
                    for (key, value) in entries {
                        if let Some(key) = self.scalar(*key)
                            && keys.insert(&key.value)
                        {
                            out.push((key, *value));
                        }
                    }
                }
            }
        }
        out
    }

    /// The value under `key` in the mapping `id`.
    pub fn get(&self, id: NodeId, key: &'static str) -> Option<NodeId> {
        if let Some(found) = self.lookups.borrow().get(&(id, key)) {
            return *found;
        }
        let found = self
            .entries(id)
            .into_iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, value)| value);
        self.lookups.borrow_mut().insert((id, key), found);
        found
    }

    /// The scalar under `key` in the mapping `id`.
    pub fn scalar_at(&self, id: NodeId, key: &'static str) -> Option<&Scalar> {
        self.get(id, key).and_then(|value| self.scalar(value))
    }

    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id) {
            Node::Sequence(items, _) => items,
            _ => &[],
        }
    }

    /// Where `#` starts a comment on each line: at the start of a line or after white
    /// space, outside quoted and block scalars. Past a syntax error nothing is known of
    /// the structure, so any such `#` counts.
    pub fn comment_starts(&self, text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut region = 0;
        for at in memchr::memchr_iter(b'#', bytes) {
            if at > 0 && !matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r') {
                continue;
            }
            while region < self.opaque.len() && self.opaque[region].end <= at {
                region += 1;
            }
            if self
                .opaque
                .get(region)
                .is_some_and(|span| span.start <= at && at < span.end)
            {
                continue;
            }
            out.push(at);
        }
        out
    }
}

/// Just past the closing quote of the quoted scalar starting at `start`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            byte if byte == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// Where a scalar's value starts in the file, when the file holds it byte for byte.
fn verbatim_start(text: &str, span: &Span, value: &str, style: ScalarStyle) -> Option<usize> {
    let written = text.get(span.clone())?;
    let inner_start = match style {
        ScalarStyle::Plain => span.start,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => span.start + 1,
        _ => return None,
    };
    let inner = match style {
        ScalarStyle::Plain => written,
        _ => written.get(1..written.len().checked_sub(1)?)?,
    };
    (inner == value).then_some(inner_start)
}

/// The comment after `span` on its line (`# v4.1.1` after a pinned commit), without
/// its `#` and without a `pinwarden:` directive that follows it; `None` when there is
/// none or it is empty.
pub fn trailing_comment(text: &str, span: &Span) -> Option<String> {
    let rest = text.get(span.end..)?;
    let line = &rest[..rest.find(['\r', '\n']).unwrap_or(rest.len())];
    let trimmed = line.trim_start_matches([' ', '\t']);
    if trimmed.len() == line.len() && !line.is_empty() {
        return None;
    }
    let comment = trimmed.strip_prefix('#')?;
    let comment = comment
        .find("pinwarden:")
        .map_or(comment, |at| &comment[..at]);
    let comment = comment.trim().trim_end_matches('#').trim();
    (!comment.is_empty()).then(|| comment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_get<'a>(yaml: &'a Yaml, key: &'static str) -> &'a Scalar {
        let id = yaml.get(yaml.root.unwrap(), key).unwrap();
        yaml.scalar(id).unwrap()
    }

    #[test]
    fn scalars_have_byte_spans() {
        let text = "é: 1\nname: 'ünï'\nuses: a/b@v1 # v1.2.3\nq: \"a\\tb\"\n";
        let yaml = Yaml::parse(text);
        assert!(yaml.error.is_none(), "{:?}", yaml.error);
        let name = root_get(&yaml, "name");
        assert_eq!(&text[name.span.clone()], "'ünï'");
        assert_eq!(&text[name.value_span()], "ünï");
        let uses = root_get(&yaml, "uses");
        assert_eq!(&text[uses.value_span()], "a/b@v1");
        assert_eq!(
            trailing_comment(text, &uses.span).as_deref(),
            Some("v1.2.3")
        );
        let escaped = root_get(&yaml, "q");
        assert_eq!(escaped.value, "a\tb");
        assert_eq!(&text[escaped.value_span()], "\"a\\tb\"");
    }

    #[test]
    fn comments_skip_quoted_and_block_scalars() {
        let text = "a: 'x # no' # yes\nrun: |\n  echo # no\n  b\n# yes\nc: d#no\n";
        let yaml = Yaml::parse(text);
        let comments: Vec<&str> = yaml
            .comment_starts(text)
            .into_iter()
            .map(|at| &text[at..at + text[at..].find('\n').unwrap()])
            .collect();
        assert_eq!(comments, ["# yes", "# yes"]);
    }

    #[test]
    fn aliases_and_merge_keys_are_followed() {
        let text = "base: &b {uses: a/b@v1}\nstep: *b\nmerged:\n  <<: *b\n  name: x\n";
        let yaml = Yaml::parse(text);
        let root = yaml.root.unwrap();
        let step = yaml.get(root, "step").unwrap();
        assert!(yaml.get(step, "uses").is_some());
        let merged = yaml.get(root, "merged").unwrap();
        assert_eq!(
            yaml.scalar(yaml.get(merged, "uses").unwrap())
                .unwrap()
                .value,
            "a/b@v1"
        );
    }

    #[test]
    fn errors_and_deep_nesting_do_not_panic() {
        let yaml = Yaml::parse("a: [b\nc: 'd");
        assert!(yaml.error.is_some());
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let yaml = Yaml::parse(&deep);
        assert!(yaml.nodes.len() <= MAX_DEPTH + 2);
        for text in ["", "\u{feff}", "- é\n  - ü: [", "? a\n: b", "*x", "a: *x"] {
            let _ = Yaml::parse(text);
        }
    }
}
