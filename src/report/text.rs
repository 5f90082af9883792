//! The advice as plain text for a programme team to read in a terminal or an e-mail.
//! Labels are Dutch, like the Roadmap's texts.

use std::fmt::Write as _;

use std::cmp::Reverse;

use super::{Advice, AdvisedTip};
use crate::plan::horizon_rank;
use crate::ruleset::{RuleSet, SectionKind};

/// Renders one advice as plain text.
pub fn render_text(ruleset: &RuleSet, advice: &Advice) -> String {
    let mut out = String::new();
    let info = &advice.ruleset;
    let short_hash = info.hash.get(..12).unwrap_or(&info.hash);
    let _ = writeln!(out, "Advies voor {}", advice.programme);
    let _ = writeln!(
        out,
        "Regels: {} {} (hash {short_hash})",
        info.name, info.version
    );
    if let Some(profile) = &advice.profile {
        let _ = writeln!(out, "Profiel: {profile}");
    }
    write_scores(&mut out, advice);
    write_focus(&mut out, advice);
    write_phases(&mut out, ruleset, advice);
    write_lanes(&mut out, advice);
    write_handoffs(&mut out, ruleset, advice);
    write_tips(&mut out, ruleset, advice);
    if !advice.warnings.is_empty() {
        let _ = writeln!(out, "\nLet op");
        for warning in &advice.warnings {
            let _ = writeln!(out, "  - {warning}");
        }
    }
    out
}

fn write_scores(out: &mut String, advice: &Advice) {
    let _ = writeln!(
        out,
        "\nScores (gemiddelde op de schaal, aantal beantwoorde vragen)"
    );
    for score in &advice.scores {
        let kind = match score.kind {
            SectionKind::Principle => "Uitgangspunt",
            SectionKind::Factor => "Factor",
        };
        let mean = score
            .mean
            .map_or_else(|| "-".to_owned(), |mean| format!("{mean:.2}"));
        let heading = format!("{kind} {} {}", score.number, score.title);
        let _ = writeln!(
            out,
            "  {heading:<58} {mean:>5}  ({}/{})",
            score.answered, score.questions
        );
    }
}

fn write_focus(out: &mut String, advice: &Advice) {
    if advice.focus.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nFocus deze cyclus: begin met deze {} tips uit fase 1",
        advice.focus.len()
    );
    for (number, id) in (1..).zip(&advice.focus) {
        match advice.tips.iter().find(|tip| &tip.id == id) {
            Some(tip) => {
                let _ = writeln!(
                    out,
                    "  {number}. [{:>3}] {id}  ({})",
                    tip.priority,
                    horizon(tip)
                );
            }
            None => {
                let _ = writeln!(out, "  {number}. {id}");
            }
        }
    }
}

fn write_phases(out: &mut String, ruleset: &RuleSet, advice: &Advice) {
    let phase_count = advice.tips.iter().map(|tip| tip.phase).max().unwrap_or(0);
    if phase_count == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\nPlan in {phase_count} fase(n): elke tip komt na de tips waarop hij voortbouwt"
    );
    let ordered = plan_order(ruleset, advice);
    for phase in 1..=phase_count {
        let in_phase: Vec<&AdvisedTip> = ordered
            .iter()
            .copied()
            .filter(|tip| tip.phase == phase)
            .collect();
        let _ = writeln!(out, "  Fase {phase} ({} tips)", in_phase.len());
        for tip in in_phase {
            let _ = writeln!(out, "    {}", phase_line(tip, advice));
        }
    }
}

/// The tips in the planner's order: phase, horizon, priority (highest first), id.
fn plan_order<'a>(ruleset: &RuleSet, advice: &'a Advice) -> Vec<&'a AdvisedTip> {
    let mut tips: Vec<&AdvisedTip> = advice.tips.iter().collect();
    tips.sort_by_cached_key(|tip| {
        let horizon = ruleset
            .tip_index(&tip.id)
            .and_then(|index| ruleset.tip(index))
            .and_then(|decl| ruleset.section_of(decl))
            .map_or(u8::MAX, |section| horizon_rank(section.horizon));
        (tip.phase, horizon, Reverse(tip.priority), tip.id.clone())
    });
    tips
}

fn phase_line(tip: &AdvisedTip, advice: &Advice) -> String {
    let mut line = format!("[{:>3}] {}  ({})", tip.priority, tip.id, horizon(tip));
    if advice.focus.contains(&tip.id) {
        line.push_str("  focus");
    }
    if !tip.after.is_empty() {
        line.push_str(&format!("  na: {}", tip.after.join(", ")));
    }
    if !tip.pulled_in_by.is_empty() {
        line.push_str(&format!(
            "  voorwaarde voor: {}",
            tip.pulled_in_by.join(", ")
        ));
    }
    line
}

fn write_lanes(out: &mut String, advice: &Advice) {
    if advice.lanes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nBetrokkenen (aantal tips in het plan)");
    for lane in &advice.lanes {
        let _ = writeln!(out, "  {:<52} {:>4}", lane.name, lane.count);
    }
}

fn write_handoffs(out: &mut String, ruleset: &RuleSet, advice: &Advice) {
    if advice.handoffs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nOverdrachten (een tip wacht op een tip van andere betrokkenen)"
    );
    for handoff in &advice.handoffs {
        let _ = writeln!(out, "  {} -> {}", handoff.from, handoff.to);
        let from = role_names(ruleset, &handoff.from_stakeholders);
        let _ = writeln!(out, "      van:  {}", from.join(", "));
        let to = role_names(ruleset, &handoff.to_stakeholders);
        let _ = writeln!(out, "      naar: {}", to.join(", "));
    }
}

/// The display names of role ids, in the rule set's roles (after the profile).
fn role_names<'a>(ruleset: &'a RuleSet, ids: &'a [String]) -> Vec<&'a str> {
    let roles = ruleset.roles();
    ids.iter()
        .map(|id| {
            roles
                .index_of(id)
                .and_then(|role| roles.get(role))
                .map_or(id.as_str(), |role| role.name.as_str())
        })
        .collect()
}

fn horizon(tip: &AdvisedTip) -> &str {
    tip.horizon.as_deref().unwrap_or("tijdspad niet gegeven")
}

fn write_tips(out: &mut String, ruleset: &RuleSet, advice: &Advice) {
    let _ = writeln!(
        out,
        "\nDe tips ({}), hoogste prioriteit eerst",
        advice.tips.len()
    );
    for tip in &advice.tips {
        let horizon = tip.horizon.as_deref().unwrap_or("niet gegeven");
        let _ = writeln!(
            out,
            "\n  [{:>3}] {}  (fase {}, tijdspad: {horizon})",
            tip.priority, tip.id, tip.phase
        );
        let _ = writeln!(out, "        {}", tip.text);
        let names = role_names(ruleset, &tip.stakeholders);
        let _ = writeln!(out, "        Betrokkenen: {}", names.join(", "));
        if !tip.after.is_empty() {
            let _ = writeln!(out, "        Na: {}", tip.after.join(", "));
        }
        if !tip.pulled_in_by.is_empty() {
            let _ = writeln!(
                out,
                "        Voorwaarde voor: {} (nog niet ingevoerd, door geen regel aanbevolen)",
                tip.pulled_in_by.join(", ")
            );
        }
        for reason in &tip.because {
            let _ = writeln!(
                out,
                "        Waarom ({}, prioriteit {}): {}",
                reason.rule, reason.priority, reason.text
            );
        }
    }
}
