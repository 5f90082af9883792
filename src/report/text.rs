//! The advice as plain text for a programme team: by default about two printed pages
//! (scores, this cycle with its reasons, next cycle, what to find out first, counts of
//! the rest); with detail, everything the advice holds; with an earlier run, what moved
//! since then. Labels in Dutch or English ([`Lang`]); the Roadmap's texts stay Dutch.

use std::fmt::Write as _;

use super::escape::{escape_controls, escape_controls_but_newlines};
use super::{Advice, AdvisedTip, Lang, PreviousRun};
use crate::eval::Confidence;
use crate::plan::LATER;
use crate::ruleset::{horizon_text, RuleSet, Section, SectionKind, TipIndex};

mod progress;

use progress::write_progress;

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

/// How the text is rendered besides its advice.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions<'a> {
    /// How much of the advice to show.
    pub detail: TextDetail,
    /// The language of the labels.
    pub lang: Lang,
    /// An earlier run to show the progress since (`advise --previous`).
    pub previous: Option<&'a PreviousRun>,
}

/// Renders one advice as plain text, Dutch, without progress: [`render_text_with`]
/// with only `detail` set.
pub fn render_text(ruleset: &RuleSet, advice: &Advice<'_>, detail: TextDetail) -> String {
    let options = TextOptions {
        detail,
        ..TextOptions::default()
    };
    render_text_with(ruleset, advice, &options)
}

/// Renders one advice as plain text. Control characters in it (an ESC in a programme's
/// name, in a comment, in a rule's text) are escaped, so that printing it cannot steer a
/// terminal; ids, names and comments show as one line each.
pub fn render_text_with(
    ruleset: &RuleSet,
    advice: &Advice<'_>,
    options: &TextOptions<'_>,
) -> String {
    let text = render_raw_text(ruleset, advice, options);
    escape_controls_but_newlines(&text).into_owned()
}

fn render_raw_text(ruleset: &RuleSet, advice: &Advice<'_>, options: &TextOptions<'_>) -> String {
    let (detail, lang) = (options.detail, options.lang);
    let mut out = String::new();
    write_header(&mut out, advice, lang);
    write_scores(&mut out, ruleset, advice, lang);
    if let Some(previous) = options.previous {
        write_progress(&mut out, ruleset, advice, previous, lang);
    }
    write_cycle_one(&mut out, ruleset, advice, lang);
    write_cycle_two(&mut out, ruleset, advice, lang);
    write_to_establish(&mut out, ruleset, advice, detail, lang);
    write_counts(&mut out, advice, lang);
    if detail == TextDetail::Full {
        write_later(&mut out, ruleset, advice, lang);
        write_not_applicable(&mut out, ruleset, advice, lang);
        write_lanes(&mut out, ruleset, advice, lang);
        write_handoffs(&mut out, ruleset, advice, lang);
    }
    let warnings = advice.warnings();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Let op", "Note"));
        for warning in &warnings {
            let _ = writeln!(out, "  - {warning}");
        }
    }
    out
}

fn write_header(out: &mut String, advice: &Advice<'_>, lang: Lang) {
    let name = advice
        .meta
        .get("name")
        .and_then(|name| name.as_str())
        .map_or_else(String::new, |name| format!(" ({})", escape_controls(name)));
    let programme = escape_controls(&advice.programme);
    let title = lang.pick("Advies voor", "Advice for");
    let _ = writeln!(out, "{title} {programme}{name}");
    let info = advice.ruleset;
    let short_hash = info.hash.get(..12).unwrap_or(&info.hash);
    let _ = writeln!(
        out,
        "{}: {} {} (hash {short_hash})",
        lang.pick("Regels", "Rules"),
        info.name,
        info.version
    );
    if let Some(profile) = advice.profile {
        let label = lang.pick("Profiel", "Profile");
        let _ = writeln!(out, "{label}: {}", escape_controls(profile));
    }
}

fn write_scores(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Scores (gemiddelde op de schaal 0-4; beantwoorde tipvragen)",
            "Scores (mean on the 0-4 scale; tip questions answered)"
        )
    );
    for (section, result) in ruleset.sections().iter().zip(&advice.sections) {
        let mean = result
            .mean
            .map_or_else(|| "-".to_owned(), |mean| format!("{mean:.2}"));
        let heading = section_heading(section, lang);
        let quick = match result.quick_scan {
            Some(true) if result.answered == 0 => {
                lang.pick("  alleen quick-scan", "  quick scan only")
            }
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

/// "Factor 6 Toetsing", cut to [`HEADING_WIDTH`].
fn section_heading(section: &Section, lang: Lang) -> String {
    let kind = match section.kind {
        SectionKind::Principle => lang.pick("Uitgangspunt", "Principle"),
        SectionKind::Factor => "Factor",
    };
    let heading = format!("{kind} {} {}", section.number, section.title);
    match heading.chars().count() > HEADING_WIDTH {
        true => format!(
            "{}…",
            heading.chars().take(HEADING_WIDTH - 1).collect::<String>()
        ),
        false => heading,
    }
}

fn write_cycle_one(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    let cycle: Vec<&AdvisedTip<'_>> = in_cycle(advice, 1).collect();
    let this_cycle = lang.pick("Deze cyclus", "This cycle");
    if cycle.is_empty() {
        let _ = writeln!(
            out,
            "\n{this_cycle}: {} {}",
            lang.pick("geen tips.", "no tips."),
            match advice.to_establish.is_empty() {
                true => lang.pick(
                    "Alle tips die van toepassing zijn, zijn volgens de zelfscan ingevoerd.",
                    "Every tip that applies is in place according to the self-assessment."
                ),
                false => lang.pick(
                    "Begin met uitzoeken wat hieronder open staat.",
                    "Start by establishing what is open below."
                ),
            }
        );
        return;
    }
    let count = match cycle.len() {
        1 => "1 tip".to_owned(),
        n => format!("{n} tips"),
    };
    let _ = writeln!(out, "\n{this_cycle} ({count})");
    for (number, tip) in (1..).zip(cycle) {
        write_cycle_one_tip(out, ruleset, advice, tip, number, lang);
    }
}

fn write_cycle_one_tip(
    out: &mut String,
    ruleset: &RuleSet,
    advice: &Advice<'_>,
    tip: &AdvisedTip<'_>,
    number: u32,
    lang: Lang,
) {
    let Some(catalogued) = ruleset.tip(tip.index) else {
        return;
    };
    let section = ruleset.section_of(catalogued);
    let _ = writeln!(
        out,
        "\n  {number}. {}  [{}]",
        tip.id,
        section.map_or("", |section| section.title.as_str())
    );
    if let Some(group) = &catalogued.group {
        let _ = writeln!(out, "     {}: {group}", lang.pick("Onder", "Under"));
    }
    let _ = writeln!(out, "     {}", catalogued.text);
    let _ = writeln!(
        out,
        "     {}: {}; {}: {}; {} {}",
        lang.pick("Trekker", "Lead"),
        lead_name(ruleset, tip, lang),
        lang.pick("tijdspad", "horizon"),
        horizon(ruleset, tip, lang),
        lang.pick("prioriteit", "priority"),
        tip.priority
    );
    if let Some(why) = advice.why_now(tip) {
        let _ = writeln!(out, "     {}: {why}", lang.pick("Waarom nu", "Why now"));
    }
    let evidence = ruleset.tip_evidence(advice, tip.index);
    let comment = evidence
        .and_then(|evidence| evidence.question)
        .and_then(|question| advice.comments.get(&question));
    if let Some(comment) = comment {
        let comment = escape_controls(comment);
        let label = lang.pick("Toelichting van het team", "The team's comment");
        let _ = writeln!(out, "     {label}: {comment}");
    }
    if let Some(note) = section.and_then(|section| section.note.as_deref()) {
        let label = lang.pick("Noot bij de factor", "Note on the factor");
        let _ = writeln!(out, "     {label}: {note}");
    }
}

fn write_cycle_two(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    let cycle: Vec<&AdvisedTip<'_>> = in_cycle(advice, 2).collect();
    if cycle.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", lang.pick("Volgende cyclus", "Next cycle"));
    for tip in cycle {
        let _ = writeln!(
            out,
            "  - {}  ({}: {})",
            tip.id,
            lang.pick("trekker", "lead"),
            lead_name(ruleset, tip, lang)
        );
    }
}

fn write_to_establish(
    out: &mut String,
    ruleset: &RuleSet,
    advice: &Advice<'_>,
    detail: TextDetail,
    lang: Lang,
) {
    if advice.scan_first.is_empty() && advice.to_establish.is_empty() {
        return;
    }
    let limit = match detail {
        TextDetail::Short => SHORT_LIST,
        TextDetail::Full => usize::MAX,
    };
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("Eerst uitzoeken", "To establish first")
    );
    if !advice.scan_first.is_empty() {
        let label = lang.pick(
            "Vul eerst de zelfscan aan voor",
            "Complete the self-assessment first for",
        );
        let _ = writeln!(out, "  {label}:");
        for entry in advice.scan_first.iter().take(limit) {
            let title = ruleset
                .sections()
                .iter()
                .find(|section| section.id == entry.section)
                .map_or(entry.section, |section| section.title.as_str());
            let _ = writeln!(out, "  - {title}: {}", entry.reason);
        }
        let what = lang.pick("secties", "sections");
        more(out, advice.scan_first.len(), limit, what, lang);
    }
    if !advice.to_establish.is_empty() {
        let label = lang.pick(
            "Open tips, belangrijkste eerst",
            "Open tips, most important first",
        );
        let _ = writeln!(out, "  {label}:");
        for entry in advice.to_establish.iter().take(limit) {
            let reason = ruleset.establish_text(advice, entry);
            let _ = writeln!(out, "  - {}: {reason}", entry.tip);
        }
        more(out, advice.to_establish.len(), limit, "tips", lang);
    }
}

fn more(out: &mut String, total: usize, shown: usize, what: &str, lang: Lang) {
    if total > shown {
        let rest = total - shown;
        let _ = match lang {
            Lang::Nl => writeln!(out, "    en nog {rest} {what} (alles: --detail of de JSON)"),
            Lang::En => writeln!(
                out,
                "    and {rest} more {what} (all: --detail or the JSON)"
            ),
        };
    }
}

fn write_counts(out: &mut String, advice: &Advice<'_>, lang: Lang) {
    let later = in_cycle(advice, LATER).count();
    let quick = advice
        .tips
        .iter()
        .filter(|tip| tip.confidence == Confidence::QuickScan)
        .count();
    let (establish, not_applicable) = (advice.to_establish.len(), advice.not_applicable.len());
    let _ = match lang {
        Lang::Nl => writeln!(
            out,
            "\nVerder: {later} tips voor later, {establish} eerst uit te zoeken, {not_applicable} niet van toepassing{}.",
            match quick {
                0 => String::new(),
                n => format!("; {n} tips rusten alleen op de quick-scan"),
            }
        ),
        Lang::En => writeln!(
            out,
            "\nFurther: {later} tips for later, {establish} to establish first, {not_applicable} not applicable{}.",
            match quick {
                0 => String::new(),
                n => format!("; {n} tips rest on the quick scan only"),
            }
        ),
    };
}

fn write_later(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    let later: Vec<&AdvisedTip<'_>> = in_cycle(advice, LATER).collect();
    if later.is_empty() {
        return;
    }
    let heading = lang.pick("tips, in volgorde", "tips, in order");
    let _ = writeln!(out, "\nLater ({} {heading})", later.len());
    for tip in later {
        let mut line = format!(
            "  - {}  ({} {}, {} {}, {}: {})",
            tip.id,
            lang.pick("fase", "phase"),
            tip.phase,
            lang.pick("prioriteit", "priority"),
            tip.priority,
            lang.pick("trekker", "lead"),
            lead_name(ruleset, tip, lang)
        );
        let prerequisites = advice.tips.after(tip);
        if !prerequisites.is_empty() {
            let after = lang.pick("na", "after");
            line.push_str(&format!(" {after}: {}", prerequisites.join(", ")));
        }
        let _ = writeln!(out, "{line}");
        if let Some(evidence) = ruleset.tip_evidence(advice, tip.index) {
            let _ = writeln!(out, "      {}", evidence.summary);
        }
    }
}

fn write_not_applicable(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    if advice.not_applicable.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("Niet van toepassing", "Not applicable")
    );
    for entry in &advice.not_applicable {
        let reason = ruleset.not_applicable_text(entry);
        let _ = writeln!(out, "  - {}: {reason}", entry.tip);
    }
}

fn write_lanes(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    let lanes = ruleset.advice_lanes(advice);
    if lanes.is_empty() {
        return;
    }
    let heading = lang.pick(
        "Betrokkenen (trekker van / betrokken bij)",
        "Stakeholders (leads / involved in)",
    );
    let _ = writeln!(out, "\n{heading}");
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

fn write_handoffs(out: &mut String, ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) {
    if advice.handoffs.is_empty() {
        return;
    }
    let heading = lang.pick(
        "Overdrachten (een trekker wacht op een andere)",
        "Handoffs (one lead waits for another)",
    );
    let _ = writeln!(out, "\n{heading}");
    for handoff in &advice.handoffs {
        let _ = writeln!(
            out,
            "  {} ({}) -> {} ({})",
            handoff.from,
            lead_of(ruleset, handoff.from_index, lang),
            handoff.to,
            lead_of(ruleset, handoff.to_index, lang)
        );
    }
}

fn in_cycle<'a, 'r>(advice: &'a Advice<'r>, cycle: u8) -> impl Iterator<Item = &'a AdvisedTip<'r>> {
    advice.tips.iter().filter(move |tip| tip.cycle == cycle)
}

fn lead_name(ruleset: &RuleSet, tip: &AdvisedTip<'_>, lang: Lang) -> String {
    lead_of(ruleset, tip.index, lang)
}

/// The display name of a tip's lead (after the profile), or "niet benoemd".
fn lead_of(ruleset: &RuleSet, tip: TipIndex, lang: Lang) -> String {
    let roles = ruleset.roles();
    roles
        .lead_of(tip)
        .and_then(|role| roles.get(role))
        .map_or_else(
            || lang.pick("niet benoemd", "not named").to_owned(),
            |role| role.name.clone(),
        )
}

fn horizon(ruleset: &RuleSet, tip: &AdvisedTip<'_>, lang: Lang) -> String {
    ruleset
        .tip(tip.index)
        .and_then(|tip| ruleset.section_of(tip))
        .and_then(|section| horizon_text(section.horizon))
        .unwrap_or_else(|| lang.pick("niet gegeven", "not given").to_owned())
}
