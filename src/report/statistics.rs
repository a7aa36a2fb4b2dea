//! `--statistics`: how many findings each rule produced, most frequent first.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;

use crate::Outcome;

struct RuleCount<'a> {
    rule: &'a str,
    summary: &'a str,
    count: usize,
    fixable: usize,
}

fn counts(outcome: &Outcome) -> Vec<RuleCount<'_>> {
    let mut by_rule: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for finding in &outcome.findings {
        let entry = by_rule
            .entry(finding.rule.name.as_str())
            .or_insert_with(|| RuleCount {
                rule: &finding.rule.name,
                summary: &finding.rule.summary,
                count: 0,
                fixable: 0,
            });
        entry.count += 1;
        entry.fixable += usize::from(finding.fix.is_some());
    }
    let mut counts: Vec<RuleCount> = by_rule.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    counts
}

/// `COUNT  RULE  [*] SUMMARY` lines, `[*]` marking rules with fixable findings.
pub fn render_text(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let counts = counts(outcome);
    let count_width = counts.iter().map(|c| c.count.to_string().len()).max();
    let rule_width = counts.iter().map(|c| c.rule.len()).max().unwrap_or(0);
    for c in &counts {
        writeln!(
            out,
            "{:>cw$}  {:rw$}  {}{}",
            c.count,
            c.rule,
            if c.fixable > 0 { "[*] " } else { "" },
            c.summary,
            cw = count_width.unwrap_or(1),
            rw = rule_width,
        )?;
    }
    Ok(())
}

/// A JSON array of `{rule, count, fixable, summary}`.
pub fn render_json(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let list: Vec<_> = counts(outcome)
        .iter()
        .map(|c| {
            json!({
                "rule": c.rule,
                "count": c.count,
                "fixable": c.fixable,
                "summary": c.summary,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list)?;
    writeln!(out)
}
