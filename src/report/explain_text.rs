//! Explanations as text for people: one tip in full (`studentsucces explain --tip`), or
//! every tip of a plan in a line or two. Labels follow [`Lang`] (Dutch by default, like
//! the advice text); the Roadmap's own texts and the rules' expressions stay as written.

use std::fmt::Write as _;

use super::explain::{Explanation, NotFired, Standing, Term, Truth};
use super::Lang;
use crate::eval::Confidence;
use crate::ruleset::RuleKind;

/// How deep the sub-expressions of a condition are shown; deeper ones are summed up.
const SHOWN_DEPTH: usize = 8;

/// The most bytes of an expression's text on one line; a longer text is wrapped onto
/// indented continuation lines.
const LINE_BYTES: usize = 160;

impl Explanation<'_> {
    /// The explanation as text for people: the tip's standing, every rule that fired
    /// with its condition and the value of each sub-expression, the rules that did not
    /// fire and the first part of their condition that was false or unknown, the
    /// `applies` conditions, and the tip's place in the plan.
    pub fn render_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {}: {}",
            lang.pick("Opleiding", "Programme"),
            self.programme,
            self.tip
        );
        let _ = writeln!(
            out,
            "{}: {}",
            lang.pick("Stand", "Status"),
            self.standing_text(lang)
        );
        self.write_fired(&mut out, lang);
        self.write_not_fired(&mut out, lang);
        self.write_applies(&mut out, lang);
        self.write_plan(&mut out, lang);
        out
    }

    /// The tip's standing in a few words.
    pub fn standing_text(&self, lang: Lang) -> String {
        match &self.status {
            Standing::Recommended { cycle, confidence } => format!(
                "{} ({} {cycle}, {} {})",
                lang.pick("aanbevolen", "recommended"),
                lang.pick("cyclus", "cycle"),
                lang.pick("grond", "based on"),
                confidence_text(*confidence, lang)
            ),
            Standing::PulledIn { cycle } => format!(
                "{} ({} {cycle})",
                lang.pick("meegenomen als voorwaarde", "pulled in as a prerequisite"),
                lang.pick("cyclus", "cycle")
            ),
            Standing::ToEstablish { questions, .. } => format!(
                "{}: {}",
                lang.pick("eerst vast te stellen", "to establish first"),
                list(questions, lang)
            ),
            Standing::NotApplicable { because, .. } => {
                format!(
                    "{}: {because}",
                    lang.pick("niet van toepassing", "not applicable")
                )
            }
            _ => lang
                .pick(
                    "niet geadviseerd (op orde, of niet nodig op deze antwoorden)",
                    "not advised (in place, or not needed on these answers)",
                )
                .to_owned(),
        }
    }

    fn write_fired(&self, out: &mut String, lang: Lang) {
        if self.rules.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n{}:",
            lang.pick("Regels die vuurden", "Rules that fired")
        );
        for rule in &self.rules {
            let what = match rule.kind {
                RuleKind::Recommend => lang.pick("beveelt aan, prioriteit", "recommends, priority"),
                RuleKind::Raise => lang.pick("verhoogt met", "raises by"),
            };
            let unknown = if rule.priority_known {
                ""
            } else {
                lang.pick(" (onbekend, 0 gebruikt)", " (unknown, 0 used)")
            };
            let _ = writeln!(out, "  {} ({what} {}{unknown})", rule.rule, rule.priority);
            origin(
                out,
                lang,
                rule.template,
                rule.source.map(ToString::to_string),
            );
            let _ = writeln!(
                out,
                "    {}: {}",
                lang.pick("omdat", "because"),
                rule.because
            );
            if let Some(condition) = &rule.condition {
                let _ = writeln!(out, "    {}:", lang.pick("voorwaarde", "condition"));
                write_term(out, condition, lang, 3);
            }
            if let Some(priority) = &rule.priority_expression {
                let _ = writeln!(out, "    {}:", lang.pick("prioriteit", "priority"));
                write_term(out, priority, lang, 3);
            }
        }
    }

    fn write_not_fired(&self, out: &mut String, lang: Lang) {
        if self.not_fired.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n{}:",
            lang.pick("Regels die niet vuurden", "Rules that did not fire")
        );
        for rule in &self.not_fired {
            write_not_fired(out, rule, lang);
        }
    }

    fn write_applies(&self, out: &mut String, lang: Lang) {
        if self.applies.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n{}:",
            lang.pick("Van toepassing als", "Applies when")
        );
        for check in &self.applies {
            let outcome = match check.outcome {
                Truth::True => lang.pick("waar: van toepassing", "true: applies"),
                Truth::False => lang.pick("onwaar: niet van toepassing", "false: does not apply"),
                Truth::Unknown => lang.pick(
                    "onbekend: van toepassing aangenomen",
                    "unknown: assumed to apply",
                ),
            };
            let text = check
                .condition
                .as_ref()
                .map_or("", |condition| condition.text);
            let _ = writeln!(out, "  {text} ({outcome})");
            if check.outcome == Truth::False {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    lang.pick("omdat", "because"),
                    check.because
                );
            }
            if let Some(condition) = &check.condition {
                write_terms(out, &condition.terms, lang, 2);
            }
            if !check.missing.is_empty() {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    lang.pick("ontbrekende antwoorden", "missing answers"),
                    list(&check.missing, lang)
                );
            }
        }
    }

    fn write_plan(&self, out: &mut String, lang: Lang) {
        let Some(place) = &self.plan else {
            let _ = writeln!(
                out,
                "\n{}: {}",
                lang.pick("Plan", "Plan"),
                lang.pick("niet in het plan", "not in the plan")
            );
            self.write_graph(out, lang);
            return;
        };
        let _ = writeln!(
            out,
            "\n{}: {} {}, {} {}, {} {}",
            lang.pick("Plan", "Plan"),
            lang.pick("cyclus", "cycle"),
            place.cycle,
            lang.pick("fase", "phase"),
            place.phase,
            lang.pick("prioriteit", "priority"),
            place.priority
        );
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("na", "after"),
            list(&place.after, lang)
        );
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("hierop wachten", "waiting for it"),
            list(&place.waiting, lang)
        );
    }

    /// For a tip not in the plan: the tips it builds on and that build on it, with
    /// their cycle where they are in the plan.
    fn write_graph(&self, out: &mut String, lang: Lang) {
        let rows = [
            (
                lang.pick("bouwt voort op", "builds on"),
                &self.graph.builds_on,
            ),
            (
                lang.pick("hierop bouwen voort", "built on by"),
                &self.graph.built_on_by,
            ),
        ];
        for (label, neighbours) in rows {
            let tips: Vec<String> = neighbours
                .iter()
                .map(|neighbour| match neighbour.cycle {
                    Some(cycle) => format!(
                        "{} ({} {cycle})",
                        neighbour.tip,
                        lang.pick("in het plan, cyclus", "in the plan, cycle")
                    ),
                    None => neighbour.tip.to_owned(),
                })
                .collect();
            let tips: Vec<&str> = tips.iter().map(String::as_str).collect();
            let _ = writeln!(out, "  {label}: {}", list(&tips, lang));
        }
    }

    /// One line for the plan overview: cycle, phase, priority, tip, and the rules that
    /// recommended it (or that it is a prerequisite).
    pub fn render_line(&self, lang: Lang) -> String {
        let place = self.plan.as_ref().map_or_else(String::new, |place| {
            format!(
                "{} {}  {} {:>2}  {} {:>3}  ",
                lang.pick("cyclus", "cycle"),
                place.cycle,
                lang.pick("fase", "phase"),
                place.phase,
                lang.pick("prio", "prio"),
                place.priority
            )
        });
        let why = if self.rules.is_empty() {
            let waiting = self.plan.as_ref().map(|place| place.waiting.clone());
            format!(
                "{} {}",
                lang.pick("voorwaarde voor", "prerequisite of"),
                list(&waiting.unwrap_or_default(), lang)
            )
        } else {
            let rules: Vec<String> = self
                .rules
                .iter()
                .map(|rule| format!("{} ({})", rule.rule, rule.priority))
                .collect();
            format!("{} {}", lang.pick("door", "by"), rules.join(", "))
        };
        format!("{place}{}  {why}", self.tip)
    }
}

/// What a recommendation rests on, in a few words.
fn confidence_text(confidence: Confidence, lang: Lang) -> &'static str {
    match confidence {
        Confidence::Answered => lang.pick("eigen antwoord", "own answer"),
        Confidence::QuickScan => lang.pick("alleen de quickscan", "quick scan only"),
        Confidence::Unanswered => lang.pick("geen antwoord", "no answer"),
    }
}

/// Renders every tip of a plan, one line each, cycle 1 first.
pub fn render_plan_text(programme: &str, explanations: &[Explanation<'_>], lang: Lang) -> String {
    let mut out = format!(
        "{} {programme}: {} {}\n",
        lang.pick("Opleiding", "Programme"),
        explanations.len(),
        lang.pick("tips in het plan", "tips in the plan")
    );
    for explanation in explanations {
        let _ = writeln!(out, "  {}", explanation.render_line(lang));
    }
    out
}

fn write_not_fired(out: &mut String, rule: &NotFired<'_>, lang: Lang) {
    let outcome = match rule.outcome {
        Truth::Unknown => lang.pick("onbekend", "unknown"),
        Truth::True => lang.pick("waar", "true"),
        Truth::False => lang.pick("onwaar", "false"),
    };
    let _ = writeln!(
        out,
        "  {} ({}: {outcome})",
        rule.identity.rule,
        lang.pick("voorwaarde", "condition")
    );
    origin(
        out,
        lang,
        rule.identity.template,
        rule.identity.source.map(ToString::to_string),
    );
    if let Some(blocked) = &rule.blocked_by {
        let label = match rule.outcome {
            Truth::Unknown => lang.pick("eerste onbekende deel", "first unknown part"),
            _ => lang.pick("eerste onware deel", "first false part"),
        };
        let _ = writeln!(out, "    {label}:");
        write_term(out, blocked, lang, 3);
    }
    if !rule.missing.is_empty() {
        let _ = writeln!(
            out,
            "    {}: {}",
            lang.pick("ontbrekende antwoorden", "missing answers"),
            list(&rule.missing, lang)
        );
    }
}

fn origin(out: &mut String, lang: Lang, template: Option<&str>, source: Option<String>) {
    match (template, source) {
        (Some(template), Some(source)) => {
            let _ = writeln!(
                out,
                "    {} `{template}`, {source}",
                lang.pick("uit template", "from template")
            );
        }
        (Some(template), None) => {
            let _ = writeln!(
                out,
                "    {} `{template}`",
                lang.pick("uit template", "from template")
            );
        }
        (None, Some(source)) => {
            let _ = writeln!(out, "    {} {source}", lang.pick("in", "in"));
        }
        (None, None) => {}
    }
}

/// One sub-expression per line, indented by depth: `text = value`, and for an operator
/// over values its operands' values put in (`1 < 3`).
fn write_term(out: &mut String, term: &Term<'_>, lang: Lang, indent: usize) {
    let mut stack = vec![(term, indent)];
    while let Some((term, indent)) = stack.pop() {
        let pad = "  ".repeat(indent);
        let value = term.value.text(lang);
        match substituted(term, lang) {
            Some(with_values) => {
                write_wrapped(out, &pad, term.text);
                let _ = writeln!(out, "  →  {with_values} = {value}");
            }
            None if term.text == value => {
                let _ = writeln!(out, "{pad}{value}");
            }
            None => {
                write_wrapped(out, &pad, term.text);
                let _ = writeln!(out, " = {value}");
            }
        }
        if indent >= SHOWN_DEPTH + 3 {
            continue;
        }
        for child in term.terms.iter().rev() {
            let leaf_literal = child.terms.is_empty() && child.text == child.value.text(lang);
            if !leaf_literal {
                stack.push((child, indent + 1));
            }
        }
    }
}

/// Writes `text` after `pad`, in pieces of at most [`LINE_BYTES`] bytes, each after
/// the last space that fits (or at a character boundary, for a longer word); the pieces
/// after the first are indented four more spaces, deeper than the operands below, which
/// are two deeper. Leaves the line open for what follows.
fn write_wrapped(out: &mut String, pad: &str, text: &str) {
    out.push_str(pad);
    let mut rest = text;
    while rest.len() > LINE_BYTES {
        let (piece, after) = split_line(rest);
        out.push_str(piece);
        out.push('\n');
        out.push_str(pad);
        out.push_str("    ");
        rest = after;
    }
    out.push_str(rest);
}

/// The first piece of `text` that fits on a line and the rest, without the space
/// between them: broken at the last space within [`LINE_BYTES`] bytes, else at the
/// last character boundary within them.
fn split_line(text: &str) -> (&str, &str) {
    let mut limit = LINE_BYTES.min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let head = text.get(..limit).unwrap_or(text);
    match head.rfind(' ') {
        Some(space) if space > 0 => (
            text.get(..space).unwrap_or(text),
            text.get(space + 1..).unwrap_or_default(),
        ),
        _ => (head, text.get(limit..).unwrap_or_default()),
    }
}

fn write_terms(out: &mut String, terms: &[Term<'_>], lang: Lang, indent: usize) {
    for term in terms {
        if !(term.terms.is_empty() && term.text == term.value.text(lang)) {
            write_term(out, term, lang, indent + 1);
        }
    }
}

/// A binary operator's text with its operands' values in place of the operands:
/// `toetsing.frequentie < 3` becomes `1 < 3`; `None` when the text does not split so.
fn substituted(term: &Term<'_>, lang: Lang) -> Option<String> {
    let [left, right] = term.terms.as_slice() else {
        return None;
    };
    let (left_text, right_text) = (format!("({})", left.text), format!("({})", right.text));
    let rest = term
        .text
        .strip_prefix(left.text)
        .or_else(|| term.text.strip_prefix(left_text.as_str()))?;
    let middle = rest
        .strip_suffix(right.text)
        .or_else(|| rest.strip_suffix(right_text.as_str()))?;
    if middle.trim().is_empty() || middle.contains(['(', ')']) {
        return None;
    }
    Some(format!(
        "{}{middle}{}",
        left.value.text(lang),
        right.value.text(lang)
    ))
}

fn list(items: &[&str], lang: Lang) -> String {
    if items.is_empty() {
        lang.pick("geen", "none").to_owned()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::{split_line, write_wrapped, LINE_BYTES};
    use proptest::prelude::*;

    #[test]
    fn a_short_text_stays_on_one_line() {
        let mut out = String::new();
        write_wrapped(&mut out, "    ", "a < 3");
        assert_eq!(out, "    a < 3");
    }

    #[test]
    fn a_long_text_wraps_at_a_space_and_indents_what_follows() {
        let text = format!("{} + {}", "a".repeat(150), "b".repeat(20));
        let mut out = String::new();
        write_wrapped(&mut out, "  ", &text);
        assert_eq!(
            out,
            format!("  {} +\n      {}", "a".repeat(150), "b".repeat(20))
        );
    }

    #[test]
    fn a_long_word_breaks_at_a_character_boundary() {
        let text = "é".repeat(100);
        let (piece, rest) = split_line(&text);
        assert_eq!(piece.len(), LINE_BYTES);
        assert_eq!(format!("{piece}{rest}"), text);
    }

    proptest! {
        #[test]
        fn wrapping_keeps_every_character_and_no_piece_is_too_long(
            words in proptest::collection::vec("[a-zé(),.*<=]{1,200}", 1..12)
        ) {
            let text = words.join(" ");
            let mut out = String::new();
            write_wrapped(&mut out, "", &text);
            let pieces: Vec<&str> = out.split("\n").map(|line| line.trim_start()).collect();
            prop_assert!(pieces.iter().all(|piece| piece.len() <= LINE_BYTES));
            // Only the spaces a line was broken at are dropped.
            prop_assert_eq!(pieces.concat().replace(' ', ""), text.replace(' ', ""));
        }
    }
}
