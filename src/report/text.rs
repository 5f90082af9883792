//! The advice as plain text for a programme team to read in a terminal or an e-mail.
//! Labels are Dutch, like the Roadmap's texts.

use std::fmt::Write as _;

use super::Advice;
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
    write_scores(&mut out, advice);
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

fn write_tips(out: &mut String, ruleset: &RuleSet, advice: &Advice) {
    let _ = writeln!(
        out,
        "\nAanbevolen tips ({}), hoogste prioriteit eerst",
        advice.tips.len()
    );
    for tip in &advice.tips {
        let horizon = tip.horizon.as_deref().unwrap_or("niet gegeven");
        let _ = writeln!(
            out,
            "\n  [{:>3}] {}  (tijdspad: {horizon})",
            tip.priority, tip.id
        );
        let _ = writeln!(out, "        {}", tip.text);
        let names: Vec<&str> = tip
            .stakeholders
            .iter()
            .map(|id| {
                ruleset
                    .stakeholders()
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or(id.as_str(), |s| s.name.as_str())
            })
            .collect();
        let _ = writeln!(out, "        Betrokkenen: {}", names.join(", "));
        for reason in &tip.because {
            let _ = writeln!(
                out,
                "        Waarom ({}, prioriteit {}): {}",
                reason.rule, reason.priority, reason.text
            );
        }
    }
}
