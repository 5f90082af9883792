//! The advice as plain text for a programme team: by default about two printed pages
//! (scores, this cycle with its reasons, next cycle, what to find out first, counts of
//! the rest); with detail, everything the advice holds. Dutch, like the Roadmap.

use std::fmt::Write as _;

use super::escape::{escape_controls, escape_controls_but_newlines};
use super::{Advice, AdvisedTip};
use crate::eval::Confidence;
use crate::plan::LATER;
use crate::ruleset::{horizon_text, RuleSet, SectionKind, TipIndex};

/// How many sections to complete and tips to find out about the short text lists.
const SHORT_LIST: usize = 5;

/// The width of a section's heading in the score table.
const HEADING_WIDTH: usize = 60;

/// How much of the advice the text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextDetail {
    /// About two printed pages: what a programme team needs for its next meeting.
    #[default]
    Short,
    /// Every tip, every open question, every tip that does not apply, lanes and handoffs.
    Full,
}

/// Renders one advice as plain text. Control characters in it (an ESC in a programme's
/// name, in a comment, in a rule's text) are escaped, so that printing it cannot steer a
/// terminal; ids, names and comments show as one line each.
pub fn render_text(ruleset: &RuleSet, advice: &Advice<'_>, detail: TextDetail) -> String {
    let text = render_raw_text(ruleset, advice, detail);
    escape_controls_but_newlines(&text).into_owned()
}

fn render_raw_text(ruleset: &RuleSet, advice: &Advice<'_>, detail: TextDetail) -> String {
    let mut out = String::new();
    write_header(&mut out, advice);
    write_scores(&mut out, ruleset, advice);
    write_cycle_one(&mut out, ruleset, advice);
    write_cycle_two(&mut out, ruleset, advice);
    write_to_establish(&mut out, ruleset, advice, detail);
    write_counts(&mut out, advice);
    if detail == TextDetail::Full {
        write_later(&mut out, ruleset, advice);
        write_not_applicable(&mut out, ruleset, advice);
        write_lanes(&mut out, ruleset, advice);
        write_handoffs(&mut out, ruleset, advice);
    }
    if !advice.warnings.is_empty() {
        let _ = writeln!(out, "\nLet op");
        for warning in &advice.warnings {
            let _ = writeln!(out, "  - {warning}");
        }
    }
    out
}

fn write_header(out: &mut String, advice: &Advice<'_>) {
    let name = advice
        .meta
        .get("name")
        .and_then(|name| name.as_str())
        .map_or_else(String::new, |name| format!(" ({})", escape_controls(name)));
    let programme = escape_controls(&advice.programme);
    let _ = writeln!(out, "Advies voor {programme}{name}");
    let info = advice.ruleset;
    let short_hash = info.hash.get(..12).unwrap_or(&info.hash);
    let _ = writeln!(
        out,
        "Regels: {} {} (hash {short_hash})",
        info.name, info.version
    );
    if let Some(profile) = advice.profile {
        let _ = writeln!(out, "Profiel: {}", escape_controls(profile));
    }
}

fn write_scores(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    let _ = writeln!(
        out,
        "\nScores (gemiddelde op de schaal 0-4; beantwoorde tipvragen)"
    );
    for (section, result) in ruleset.sections().iter().zip(&advice.sections) {
        let kind = match section.kind {
            SectionKind::Principle => "Uitgangspunt",
            SectionKind::Factor => "Factor",
        };
        let mean = result
            .mean
            .map_or_else(|| "-".to_owned(), |mean| format!("{mean:.2}"));
        let heading = format!("{kind} {} {}", section.number, section.title);
        let heading = match heading.chars().count() > HEADING_WIDTH {
            true => format!(
                "{}…",
                heading.chars().take(HEADING_WIDTH - 1).collect::<String>()
            ),
            false => heading,
        };
        let quick = match result.quick_scan {
            Some(true) if result.answered == 0 => "  alleen quick-scan",
            _ => "",
        };
        let questions = ruleset.tip_question_count(section);
        let _ = writeln!(
            out,
            "  {heading:<HEADING_WIDTH$} {mean:>5}  {:>2}/{questions:<2}{quick}",
            result.answered
        );
    }
}

fn write_cycle_one(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    let cycle: Vec<&AdvisedTip<'_>> = in_cycle(advice, 1).collect();
    if cycle.is_empty() {
        let _ = writeln!(
            out,
            "\nDeze cyclus: geen tips. {}",
            match advice.to_establish.is_empty() {
                true => "Alle tips die van toepassing zijn, zijn volgens de zelfscan ingevoerd.",
                false => "Begin met uitzoeken wat hieronder open staat.",
            }
        );
        return;
    }
    let count = match cycle.len() {
        1 => "1 tip".to_owned(),
        n => format!("{n} tips"),
    };
    let _ = writeln!(out, "\nDeze cyclus ({count})");
    for (number, tip) in (1..).zip(cycle) {
        let Some(catalogued) = ruleset.tip(tip.index) else {
            continue;
        };
        let section = ruleset.section_of(catalogued);
        let _ = writeln!(
            out,
            "\n  {number}. {}  [{}]",
            tip.id,
            section.map_or("", |section| section.title.as_str())
        );
        if let Some(group) = &catalogued.group {
            let _ = writeln!(out, "     Onder: {group}");
        }
        let _ = writeln!(out, "     {}", catalogued.text);
        let _ = writeln!(
            out,
            "     Trekker: {}; tijdspad: {}; prioriteit {}",
            lead_name(ruleset, tip),
            horizon(ruleset, tip),
            tip.priority
        );
        if let Some(why) = &tip.why_now {
            let _ = writeln!(out, "     Waarom nu: {why}");
        }
        let evidence = ruleset.tip_evidence(advice, tip.index);
        let comment = evidence
            .and_then(|evidence| evidence.question)
            .and_then(|question| advice.comments.get(&question));
        if let Some(comment) = comment {
            let comment = escape_controls(comment);
            let _ = writeln!(out, "     Toelichting van het team: {comment}");
        }
        if let Some(note) = section.and_then(|section| section.note.as_deref()) {
            let _ = writeln!(out, "     Noot bij de factor: {note}");
        }
    }
}

fn write_cycle_two(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    let cycle: Vec<&AdvisedTip<'_>> = in_cycle(advice, 2).collect();
    if cycle.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nVolgende cyclus");
    for tip in cycle {
        let _ = writeln!(
            out,
            "  - {}  (trekker: {})",
            tip.id,
            lead_name(ruleset, tip)
        );
    }
}

fn write_to_establish(
    out: &mut String,
    ruleset: &RuleSet,
    advice: &Advice<'_>,
    detail: TextDetail,
) {
    if advice.scan_first.is_empty() && advice.to_establish.is_empty() {
        return;
    }
    let limit = match detail {
        TextDetail::Short => SHORT_LIST,
        TextDetail::Full => usize::MAX,
    };
    let _ = writeln!(out, "\nEerst uitzoeken");
    if !advice.scan_first.is_empty() {
        let _ = writeln!(out, "  Vul eerst de zelfscan aan voor:");
        for entry in advice.scan_first.iter().take(limit) {
            let title = ruleset
                .sections()
                .iter()
                .find(|section| section.id == entry.section)
                .map_or(entry.section, |section| section.title.as_str());
            let _ = writeln!(out, "  - {title}: {}", entry.reason);
        }
        more(out, advice.scan_first.len(), limit, "secties");
    }
    if !advice.to_establish.is_empty() {
        let _ = writeln!(out, "  Open tips, belangrijkste eerst:");
        for entry in advice.to_establish.iter().take(limit) {
            let reason = ruleset.establish_text(advice, entry);
            let _ = writeln!(out, "  - {}: {reason}", entry.tip);
        }
        more(out, advice.to_establish.len(), limit, "tips");
    }
}

fn more(out: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = writeln!(
            out,
            "    en nog {} {what} (alles: --detail of de JSON)",
            total - shown
        );
    }
}

fn write_counts(out: &mut String, advice: &Advice<'_>) {
    let later = in_cycle(advice, LATER).count();
    let quick = advice
        .tips
        .iter()
        .filter(|tip| tip.confidence == Confidence::QuickScan)
        .count();
    let _ = writeln!(
        out,
        "\nVerder: {later} tips voor later, {} eerst uit te zoeken, {} niet van toepassing{}.",
        advice.to_establish.len(),
        advice.not_applicable.len(),
        match quick {
            0 => String::new(),
            n => format!("; {n} tips rusten alleen op de quick-scan"),
        }
    );
}

fn write_later(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    let later: Vec<&AdvisedTip<'_>> = in_cycle(advice, LATER).collect();
    if later.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nLater ({} tips, in volgorde)", later.len());
    for tip in later {
        let mut line = format!(
            "  - {}  (fase {}, prioriteit {}, trekker: {})",
            tip.id,
            tip.phase,
            tip.priority,
            lead_name(ruleset, tip)
        );
        if !tip.after.is_empty() {
            line.push_str(&format!(" na: {}", tip.after.join(", ")));
        }
        let _ = writeln!(out, "{line}");
        if let Some(evidence) = ruleset.tip_evidence(advice, tip.index) {
            let _ = writeln!(out, "      {}", evidence.summary);
        }
    }
}

fn write_not_applicable(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    if advice.not_applicable.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nNiet van toepassing");
    for entry in &advice.not_applicable {
        let reason = ruleset.not_applicable_text(entry);
        let _ = writeln!(out, "  - {}: {reason}", entry.tip);
    }
}

fn write_lanes(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    let lanes = ruleset.advice_lanes(advice);
    if lanes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nBetrokkenen (trekker van / betrokken bij)");
    for lane in &lanes {
        let _ = writeln!(
            out,
            "  {:<52} {:>3} / {:>3}",
            lane.name,
            lane.leads.len(),
            lane.involved.len()
        );
    }
}

fn write_handoffs(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>) {
    if advice.handoffs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nOverdrachten (een trekker wacht op een andere)");
    for handoff in &advice.handoffs {
        let _ = writeln!(
            out,
            "  {} ({}) -> {} ({})",
            handoff.from,
            lead_of(ruleset, handoff.from_index),
            handoff.to,
            lead_of(ruleset, handoff.to_index)
        );
    }
}

fn in_cycle<'a, 'r>(advice: &'a Advice<'r>, cycle: u8) -> impl Iterator<Item = &'a AdvisedTip<'r>> {
    advice.tips.iter().filter(move |tip| tip.cycle == cycle)
}

fn lead_name(ruleset: &RuleSet, tip: &AdvisedTip<'_>) -> String {
    lead_of(ruleset, tip.index)
}

/// The display name of a tip's lead (after the profile), or "niet benoemd".
fn lead_of(ruleset: &RuleSet, tip: TipIndex) -> String {
    let roles = ruleset.roles();
    roles
        .lead_of(tip)
        .and_then(|role| roles.get(role))
        .map_or_else(|| "niet benoemd".to_owned(), |role| role.name.clone())
}

fn horizon(ruleset: &RuleSet, tip: &AdvisedTip<'_>) -> String {
    ruleset
        .tip(tip.index)
        .and_then(|tip| ruleset.section_of(tip))
        .and_then(|section| horizon_text(section.horizon))
        .unwrap_or_else(|| "niet gegeven".to_owned())
}
