//! GitHub Actions: workflows (`.github/workflows/*.yml`) and action metadata
//! (`action.yml`). What a run fetches from elsewhere is read: the actions and reusable
//! workflows of `uses:`, and the container images of a job's `container`, its
//! `services`, `uses: docker://…` steps and a Docker action's `runs.image`.
//!
//! A value holding an expression (`${{ matrix.image }}`) is decided when the workflow
//! runs and is not judged.

use std::collections::HashSet;

use super::install;
use super::yaml::{NodeId, Scalar, Yaml, trailing_comment};
use super::{ActionPolicy, ActionRef, ImageRef, Item, ParseError, RefPin, Span};

/// The items of a workflow file.
pub fn parse_workflow(text: &str) -> Vec<Item> {
    let yaml = Yaml::parse(text);
    let mut out = Vec::new();
    // Through aliases, many jobs can share one node: each is read once, so a file
    // costs what its text does.
    let mut seen = HashSet::new();
    if let Some(root) = yaml.root
        && let Some(jobs) = yaml.get(root, "jobs")
    {
        for (_, job) in yaml.entries(jobs) {
            if !seen.insert(job) {
                continue;
            }
            if let Some(uses) = yaml.scalar_at(job, "uses") {
                push_uses(text, uses, "reusable-workflow", &mut out);
            }
            if let Some(container) = yaml.get(job, "container") {
                let image = yaml.get(container, "image").unwrap_or(container);
                if let Some(image) = yaml.scalar(image) {
                    push_image(image, &image.value, "container", &mut out);
                }
            }
            if let Some(services) = yaml.get(job, "services")
                && seen.insert(services)
            {
                for (_, service) in yaml.entries(services) {
                    if let Some(image) = yaml.scalar_at(service, "image") {
                        push_image(image, &image.value, "service", &mut out);
                    }
                }
            }
            if let Some(steps) = yaml.get(job, "steps")
                && seen.insert(steps)
            {
                push_steps(text, &yaml, steps, &mut out);
            }
        }
    }
    finish(yaml, out)
}

/// The items of an action's metadata file: a composite action's steps, a Docker
/// action's image.
pub fn parse_action(text: &str) -> Vec<Item> {
    let yaml = Yaml::parse(text);
    let mut out = Vec::new();
    if let Some(root) = yaml.root
        && let Some(runs) = yaml.get(root, "runs")
    {
        if let Some(steps) = yaml.get(runs, "steps") {
            push_steps(text, &yaml, steps, &mut out);
        }
        if let Some(image) = yaml.scalar_at(runs, "image")
            && let Some(reference) = image.value.strip_prefix("docker://")
        {
            push_image(image, reference, "action", &mut out);
        }
    }
    finish(yaml, out)
}

fn push_steps(text: &str, yaml: &Yaml, steps: NodeId, out: &mut Vec<Item>) {
    for &step in yaml.items(steps) {
        if let Some(uses) = yaml.scalar_at(step, "uses") {
            match uses.value.strip_prefix("docker://") {
                Some(reference) => push_image(uses, reference, "step", out),
                None => push_uses(text, uses, "step", out),
            }
        }
        // `run:` scripts: the packages their install commands fetch, read as a
        // Dockerfile's `RUN` lines are.
        if let Some(run) = yaml.scalar_at(step, "run") {
            out.extend(install::commands(text, script_span(text, run)));
        }
    }
}

/// Where a `run:` script's text is in the file: the value itself when written byte for
/// byte, else a block scalar's lines (their indentation is blank space to the shell).
/// A quoted script with escapes is not read: its words in the file are not the words
/// that run.
fn script_span(text: &str, run: &Scalar) -> Span {
    if let Some(start) = run.verbatim_start {
        return start..start + run.value.len();
    }
    match text.get(run.span.clone()) {
        Some(written) if !written.starts_with(['"', '\'']) => run.span.clone(),
        _ => run.span.end..run.span.end,
    }
}

/// A parse error (when the text is not valid YAML) and the items, in file order.
fn finish(yaml: Yaml, mut out: Vec<Item>) -> Vec<Item> {
    if let Some((message, span)) = yaml.error {
        out.push(Item::ParseError(ParseError { message, span }));
    }
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out.dedup();
    out
}

fn is_expression(value: &str) -> bool {
    value.contains("${{")
}

fn push_uses(text: &str, uses: &Scalar, context: &'static str, out: &mut Vec<Item>) {
    let value = uses.value.trim();
    if value.is_empty() || is_expression(value) {
        return;
    }
    let span = uses.value_span();
    let comment = trailing_comment(text, &uses.span);
    let local = value.starts_with("./") || value.starts_with("../");
    let (action, git_ref, ref_span) = match uses.value.rsplit_once('@') {
        Some((action, git_ref)) if !local => {
            let start = action.len() + 1;
            let ref_span = uses.span_of(start..start + git_ref.len());
            (action.to_string(), Some(git_ref.to_string()), ref_span)
        }
        _ => (value.to_string(), None, span.clone()),
    };
    let pin = match &git_ref {
        _ if local => RefPin::Local,
        Some(git_ref) => RefPin::of_rev(git_ref),
        None => RefPin::None,
    };
    out.push(Item::Action(ActionRef {
        uses: uses.value.clone(),
        action,
        git_ref,
        ref_span,
        span,
        pin,
        context,
        comment,
        policy: ActionPolicy::default(),
    }));
}

fn push_image(scalar: &Scalar, reference: &str, context: &'static str, out: &mut Vec<Item>) {
    let reference = reference.trim();
    if reference.is_empty() || is_expression(reference) {
        return;
    }
    let (name, digest) = match reference.rsplit_once('@') {
        Some((name, digest)) if is_digest(digest) => (name, Some(digest.to_string())),
        _ => (reference, None),
    };
    // A tag follows the last `:` after the last `/` (`host:5000/image` has none).
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last.split_once(':').map(|(_, tag)| tag.to_string());
    let repository = match &tag {
        Some(tag) => &name[..name.len() - tag.len() - 1],
        None => name,
    };
    out.push(Item::Image(ImageRef {
        image: reference.to_string(),
        name: repository.to_string(),
        span: scalar.value_span(),
        digest,
        tag,
        context,
    }));
}

/// `sha256:` and 64 hexadecimal digits (or another algorithm OCI names, at its length).
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == length && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `action-pins` of the configuration: what each `uses:` must pin, by pattern, after
/// zizmor's `unpinned-uses` policies. A pattern is `owner/repo/path` (that action),
/// `owner/repo` (the repository's actions), `owner/*` (the owner's) or `*`; the most
/// specific one that matches decides, and without one a commit is required.
/// Owner and repository names match without regard to case, as GitHub's do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionPins {
    patterns: Vec<(String, ActionPolicy)>,
}

impl ActionPins {
    /// Add `pattern`; the error says what is wrong with it.
    pub fn add(&mut self, pattern: &str, policy: ActionPolicy) -> Result<(), String> {
        let parts: Vec<&str> = pattern.split('/').collect();
        let valid = pattern == "*"
            || (parts.len() >= 2
                && parts.iter().all(|part| !part.is_empty())
                && parts[..parts.len() - 1]
                    .iter()
                    .all(|part| !part.contains('*'))
                && (parts.len() == 2 || !parts[parts.len() - 1].contains('*'))
                && (!parts[1].contains('*') || parts[1] == "*"));
        if !valid || pattern.contains('@') {
            return Err(format!(
                "`{pattern}` is not an action pattern: write `owner/repo/path`, `owner/repo`, `owner/*` or `*`"
            ));
        }
        self.patterns.push((pattern.to_ascii_lowercase(), policy));
        Ok(())
    }

    /// The policy for `action` (`owner/repo[/path]`).
    pub fn policy_for(&self, action: &str) -> ActionPolicy {
        let action = action.to_ascii_lowercase();
        let parts: Vec<&str> = action.split('/').collect();
        self.patterns
            .iter()
            .filter_map(|(pattern, policy)| {
                let specificity = if pattern == "*" {
                    0
                } else if let Some(owner) = pattern.strip_suffix("/*") {
                    if parts[0] != owner {
                        return None;
                    }
                    1
                } else if pattern.matches('/').count() == 1 {
                    if parts.len() < 2 || pattern != &parts[..2].join("/") {
                        return None;
                    }
                    2
                } else if *pattern == action {
                    3
                } else {
                    return None;
                };
                Some((specificity, *policy))
            })
            .max_by_key(|(specificity, _)| *specificity)
            .map_or(ActionPolicy::HashPin, |(_, policy)| policy)
    }

    /// Set each action's policy in `items`.
    pub fn apply(&self, items: &mut [Item]) {
        for item in items {
            if let Item::Action(action) = item {
                action.policy = self.policy_for(&action.action);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "b4ffde65f46336ab88eb53be808477a3936bae11";

    fn actions(items: &[Item]) -> Vec<&ActionRef> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Action(action) => Some(action),
                _ => None,
            })
            .collect()
    }

    fn images(items: &[Item]) -> Vec<&ImageRef> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Image(image) => Some(image),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn workflow_uses_and_images() {
        let text = format!(
            "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container: python:3.12\n    services:\n      db:\n        image: \"postgres@sha256:{}\"\n    steps:\n      - uses: actions/checkout@{SHA} # v4.1.1\n      - uses: 'actions/setup-python@v5'\n      - uses: ./local/action\n      - uses: docker://alpine:3.20\n      - uses: owner/repo/path\n      - run: echo '${{{{ x }}}}'\n  call:\n    uses: org/wf/.github/workflows/ci.yml@main\n",
            "a".repeat(64)
        );
        let items = parse_workflow(&text);
        let actions = actions(&items);
        let pins: Vec<(&str, &str, &str)> = actions
            .iter()
            .map(|a| (a.action.as_str(), a.pin.as_str(), &text[a.ref_span.clone()]))
            .collect();
        assert_eq!(
            pins,
            [
                ("actions/checkout", "commit", SHA),
                ("actions/setup-python", "ref", "v5"),
                ("./local/action", "local", "./local/action"),
                ("owner/repo/path", "none", "owner/repo/path"),
                ("org/wf/.github/workflows/ci.yml", "ref", "main"),
            ]
        );
        assert_eq!(actions[0].comment.as_deref(), Some("v4.1.1"));
        assert_eq!(actions[4].context, "reusable-workflow");
        assert_eq!(&text[actions[1].span.clone()], "actions/setup-python@v5");
        let images: Vec<(&str, &str, &str)> = images(&items)
            .iter()
            .map(|i| (&text[i.span.clone()], i.pin(), i.context))
            .collect();
        assert_eq!(images.len(), 3);
        assert_eq!(images[0], ("python:3.12", "tag", "container"));
        assert_eq!(images[1].1, "digest");
        assert_eq!(images[2], ("docker://alpine:3.20", "tag", "step"));
    }

    #[test]
    fn container_mapping_registry_port_and_expressions() {
        let text = "jobs:\n  a:\n    container:\n      image: registry:5000/img\n    services:\n      x:\n        image: ${{ matrix.img }}\n    steps:\n      - uses: ${{ x }}\n";
        let items = parse_workflow(text);
        let images = images(&items);
        assert_eq!(images.len(), 1);
        assert_eq!(images[0].pin(), "none");
        assert!(actions(&items).is_empty());
    }

    #[test]
    fn action_pin_patterns() {
        let mut pins = ActionPins::default();
        pins.add("*", ActionPolicy::RefPin).unwrap();
        pins.add("actions/*", ActionPolicy::Any).unwrap();
        pins.add("Actions/Cache", ActionPolicy::HashPin).unwrap();
        pins.add("github/codeql-action/init", ActionPolicy::HashPin)
            .unwrap();
        assert_eq!(pins.policy_for("actions/checkout"), ActionPolicy::Any);
        assert_eq!(pins.policy_for("actions/cache"), ActionPolicy::HashPin);
        assert_eq!(pins.policy_for("actions/cache/save"), ActionPolicy::HashPin);
        assert_eq!(pins.policy_for("ACTIONS/setup-python"), ActionPolicy::Any);
        assert_eq!(
            pins.policy_for("github/codeql-action/init"),
            ActionPolicy::HashPin
        );
        assert_eq!(
            pins.policy_for("github/codeql-action/analyze"),
            ActionPolicy::RefPin
        );
        assert_eq!(pins.policy_for("other/x"), ActionPolicy::RefPin);
        assert_eq!(
            ActionPins::default().policy_for("a/b"),
            ActionPolicy::HashPin
        );
        for bad in [
            "", "actions", "a/*/b", "*/x", "a//b", "a/b@v1", "a*/b", "a/b*",
        ] {
            assert!(pins.add(bad, ActionPolicy::Any).is_err(), "{bad}");
        }
    }

    #[test]
    fn composite_and_docker_actions() {
        let text = "runs:\n  using: composite\n  steps:\n    - uses: actions/cache@v4\n";
        let items = parse_action(text);
        assert_eq!(actions(&items)[0].pin, RefPin::Ref);
        let docker = parse_action("runs:\n  using: docker\n  image: docker://ghcr.io/o/i:1\n");
        assert_eq!(images(&docker)[0].context, "action");
        assert!(parse_action("runs:\n  using: docker\n  image: Dockerfile\n").is_empty());
    }

    #[test]
    fn invalid_yaml_is_a_parse_error_with_a_span() {
        let text = "jobs:\n  a:\n    steps: [\n";
        let items = parse_workflow(text);
        let Some(Item::ParseError(error)) = items.last() else {
            panic!("{items:?}");
        };
        assert!(error.span.end <= text.len());
        for text in [
            "",
            "- a",
            "jobs: 3",
            "jobs:\n  a: [1, 2]",
            "jobs: {a: {steps: 1}}",
        ] {
            assert!(
                parse_workflow(text)
                    .iter()
                    .all(|item| matches!(item, Item::ParseError(_)))
            );
        }
    }
}
