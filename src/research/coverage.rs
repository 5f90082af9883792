//! How often each rule fires and each tip is advised over a cohort.

use rayon::prelude::*;
use serde::Serialize;

use std::fmt::Write as _;

use super::Programme;
use crate::eval::TipStatus;
use crate::report::Lang;
use crate::ruleset::{RuleIdentity, RuleIndex, RuleSet, SourceLocation, TipIndex};

/// How often a condition was true, false and unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Programmes for which it held.
    #[serde(rename = "true")]
    pub yes: u64,
    /// Programmes for which it did not.
    #[serde(rename = "false")]
    pub no: u64,
    /// Programmes for which answers it reads were missing.
    pub unknown: u64,
}

impl Counts {
    fn add(&mut self, value: f64) {
        if value.is_nan() {
            self.unknown += 1;
        } else if value != 0.0 {
            self.yes += 1;
        } else {
            self.no += 1;
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.yes += other.yes;
        self.no += other.no;
        self.unknown += other.unknown;
    }
}

/// One rule over the cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCoverage<'r> {
    /// The rule: id, kind, template and source.
    #[serde(flatten)]
    pub identity: RuleIdentity<'r>,
    /// Programmes for which it fired.
    pub fired: u64,
    /// Its condition: true, false, unknown.
    pub condition: Counts,
}

/// One tip over the cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TipCoverage<'r> {
    /// The tip's id.
    pub tip: &'r str,
    /// Where its base rule is written (the tip's own rule, or the template's
    /// application to it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'r SourceLocation>,
    /// Programmes the rules recommend it to.
    pub advised: u64,
    /// Programmes whose plan holds it (advised or pulled in as a prerequisite).
    pub in_plan: u64,
    /// Programmes that have it in cycle 1.
    pub cycle_1: u64,
    /// Programmes for which its state is to be established (unknown).
    pub to_establish: u64,
    /// Programmes it does not apply to.
    pub not_applicable: u64,
    /// Its `applies` conditions, in order: true, false, unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applies: Vec<Counts>,
}

/// Rule and tip coverage of a cohort. The rules that never fire and the tips never
/// advised come first in [`Coverage::never_fired`] and [`Coverage::never_advised`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage<'r> {
    /// Programmes counted.
    pub programmes: u64,
    /// Rules that fired for no programme, in rule order.
    pub never_fired: Vec<&'r str>,
    /// Tips advised to no programme, in catalogue order.
    pub never_advised: Vec<&'r str>,
    /// Every rule, in rule order.
    pub rules: Vec<RuleCoverage<'r>>,
    /// Every tip, in catalogue order.
    pub tips: Vec<TipCoverage<'r>>,
}

/// The counts of one part of the cohort.
#[derive(Debug, Clone)]
struct Tally {
    programmes: u64,
    fired: Vec<u64>,
    conditions: Vec<Counts>,
    tips: Vec<[u64; 5]>,
    applies: Vec<Vec<Counts>>,
}

impl Tally {
    fn new(ruleset: &RuleSet) -> Tally {
        Tally {
            programmes: 0,
            fired: vec![0; ruleset.rules().len()],
            conditions: vec![Counts::default(); ruleset.rules().len()],
            tips: vec![[0; 5]; ruleset.tips().len()],
            applies: ruleset
                .tips()
                .iter()
                .map(|tip| vec![Counts::default(); tip.applies.len()])
                .collect(),
        }
    }

    fn add(mut self, ruleset: &RuleSet, programme: &Programme) -> Tally {
        let evaluation = ruleset.evaluate(&programme.answers);
        let plan = ruleset.plan(&evaluation);
        let values =
            crate::eval::expression_values(&ruleset.explain_tables().program, &programme.answers);
        let value = |slot: u32| values.get(slot as usize).copied().unwrap_or(f64::NAN);
        self.programmes += 1;
        for fired in evaluation.fired() {
            if let Some(count) = self.fired.get_mut(fired.rule.index()) {
                *count += 1;
            }
        }
        for (counts, trees) in self
            .conditions
            .iter_mut()
            .zip(&ruleset.explain_tables().rules)
        {
            if let Some(when) = &trees.when {
                counts.add(value(when.slot));
            }
        }
        for (index, counts) in TipIndex::enumerate(self.tips.iter_mut()) {
            let status = evaluation.status().get(index.index());
            counts[0] += u64::from(matches!(status, Some(TipStatus::Recommended(_))));
            let step = plan.step(index);
            counts[1] += u64::from(step.is_some());
            counts[2] += u64::from(step.is_some_and(|step| step.cycle == 1));
            counts[3] += u64::from(matches!(status, Some(TipStatus::ToEstablish(_))));
            counts[4] += u64::from(matches!(status, Some(TipStatus::NotApplicable(_))));
        }
        for (counts, trees) in self
            .applies
            .iter_mut()
            .zip(&ruleset.explain_tables().applies)
        {
            for (counts, tree) in counts.iter_mut().zip(trees) {
                if let Some(tree) = tree {
                    counts.add(value(tree.slot));
                }
            }
        }
        self
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.programmes += other.programmes;
        for (a, b) in self.fired.iter_mut().zip(&other.fired) {
            *a += b;
        }
        for (a, b) in self.conditions.iter_mut().zip(&other.conditions) {
            a.merge(b);
        }
        for (a, b) in self.tips.iter_mut().zip(&other.tips) {
            for (a, b) in a.iter_mut().zip(b) {
                *a += b;
            }
        }
        for (a, b) in self.applies.iter_mut().zip(&other.applies) {
            for (a, b) in a.iter_mut().zip(b) {
                a.merge(b);
            }
        }
        self
    }
}

/// Counts, over `programmes` (in parallel), how often each rule fired and its condition
/// was true, false or unknown, and how often each tip was advised, in the plan, in
/// cycle 1, to establish or not applicable.
pub fn coverage<'r>(ruleset: &'r RuleSet, programmes: &[Programme]) -> Coverage<'r> {
    let tally = programmes
        .par_iter()
        .fold(
            || Tally::new(ruleset),
            |tally, programme| tally.add(ruleset, programme),
        )
        .reduce(|| Tally::new(ruleset), Tally::merge);
    let rules: Vec<RuleCoverage<'r>> = RuleIndex::enumerate(ruleset.rules())
        .filter_map(|(index, _)| {
            ruleset
                .rule_identity(index)
                .map(|identity| (index, identity))
        })
        .map(|(index, identity)| RuleCoverage {
            identity,
            fired: tally.fired.get(index.index()).copied().unwrap_or(0),
            condition: tally
                .conditions
                .get(index.index())
                .copied()
                .unwrap_or_default(),
        })
        .collect();
    let tips: Vec<TipCoverage<'r>> = TipIndex::enumerate(ruleset.tips())
        .map(|(index, tip)| {
            let counts = tally.tips.get(index.index()).copied().unwrap_or_default();
            TipCoverage {
                tip: &tip.id,
                source: tip_source(ruleset, index, &tip.id),
                advised: counts[0],
                in_plan: counts[1],
                cycle_1: counts[2],
                to_establish: counts[3],
                not_applicable: counts[4],
                applies: tally
                    .applies
                    .get(index.index())
                    .cloned()
                    .unwrap_or_default(),
            }
        })
        .collect();
    Coverage {
        programmes: tally.programmes,
        never_fired: rules
            .iter()
            .filter(|rule| rule.fired == 0)
            .map(|rule| rule.identity.rule)
            .collect(),
        never_advised: tips
            .iter()
            .filter(|tip| tip.advised == 0)
            .map(|tip| tip.tip)
            .collect(),
        rules,
        tips,
    }
}

impl Coverage<'_> {
    /// The coverage as text for people: the rules that never fired (with file and line)
    /// and the tips never advised first, then every rule, every tip and the `applies`
    /// conditions. Labels follow `lang` (Dutch by default); ids stay as written.
    pub fn render_text(&self, lang: Lang) -> String {
        let mut out = format!(
            "{} {} {}\n",
            lang.pick("Dekking over", "Coverage over"),
            self.programmes,
            lang.pick("opleidingen", "programmes")
        );
        self.write_never_fired(&mut out, lang);
        self.write_never_advised(&mut out, lang);
        self.write_rules(&mut out, lang);
        self.write_tips(&mut out, lang);
        self.write_applies(&mut out, lang);
        out
    }

    fn write_never_fired(&self, out: &mut String, lang: Lang) {
        let _ = writeln!(
            out,
            "\n{} ({}):",
            lang.pick("Regels die nooit vuurden", "Rules that never fired"),
            self.never_fired.len()
        );
        for rule in self.rules.iter().filter(|rule| rule.fired == 0) {
            let _ = writeln!(
                out,
                "  {}  {}  ({} {})",
                rule.identity.rule,
                source(rule.identity.source),
                lang.pick("voorwaarde", "condition"),
                rule.condition.text(lang)
            );
        }
    }

    fn write_never_advised(&self, out: &mut String, lang: Lang) {
        let _ = writeln!(
            out,
            "\n{} ({}):",
            lang.pick("Tips die nooit geadviseerd werden", "Tips never advised"),
            self.never_advised.len()
        );
        for tip in self.tips.iter().filter(|tip| tip.advised == 0) {
            let _ = writeln!(
                out,
                "  {}  {}  ({} {}, {} {})",
                tip.tip,
                source(tip.source),
                lang.pick("vast te stellen", "to establish"),
                tip.to_establish,
                lang.pick("niet van toepassing", "not applicable"),
                tip.not_applicable
            );
        }
    }

    fn write_rules(&self, out: &mut String, lang: Lang) {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Regels: gevuurd  voorwaarde waar / onwaar / onbekend  regel  bron",
                "Rules: fired  condition true / false / unknown  rule  source"
            )
        );
        for rule in &self.rules {
            let _ = writeln!(
                out,
                "  {:>6}  {:>6} / {:>6} / {:>6}  {}  {}",
                rule.fired,
                rule.condition.yes,
                rule.condition.no,
                rule.condition.unknown,
                rule.identity.rule,
                source(rule.identity.source)
            );
        }
    }

    fn write_tips(&self, out: &mut String, lang: Lang) {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Tips: geadviseerd  in plan  cyclus 1  vast te stellen  niet van toepassing  tip",
                "Tips: advised  in plan  cycle 1  to establish  not applicable  tip"
            )
        );
        for tip in &self.tips {
            let _ = writeln!(
                out,
                "  {:>7}  {:>7}  {:>7}  {:>12}  {:>14}  {}",
                tip.advised,
                tip.in_plan,
                tip.cycle_1,
                tip.to_establish,
                tip.not_applicable,
                tip.tip
            );
        }
    }

    fn write_applies(&self, out: &mut String, lang: Lang) {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Van toepassing als (per voorwaarde van de tip: waar / onwaar / onbekend)",
                "Applies when (per condition of the tip: true / false / unknown)"
            )
        );
        for tip in self.tips.iter().filter(|tip| !tip.applies.is_empty()) {
            let counts: Vec<String> = tip.applies.iter().map(|c| c.text(lang)).collect();
            let _ = writeln!(out, "  {}  {}", tip.tip, counts.join("; "));
        }
    }
}

impl Counts {
    /// The counts in a few words: `waar 3, onwaar 1, onbekend 0`.
    pub fn text(&self, lang: Lang) -> String {
        format!(
            "{} {}, {} {}, {} {}",
            lang.pick("waar", "true"),
            self.yes,
            lang.pick("onwaar", "false"),
            self.no,
            lang.pick("onbekend", "unknown"),
            self.unknown
        )
    }
}

/// Where a tip's base rule (the rule with the tip's id) is written.
fn tip_source<'r>(ruleset: &'r RuleSet, tip: TipIndex, id: &str) -> Option<&'r SourceLocation> {
    ruleset
        .tip_rules()
        .of(tip)
        .iter()
        .copied()
        .find(|rule| {
            ruleset
                .rules()
                .get(rule.index())
                .is_some_and(|rule| rule.id == id)
        })
        .and_then(|rule| ruleset.rule_source(rule))
}

fn source(source: Option<&SourceLocation>) -> String {
    source.map(ToString::to_string).unwrap_or_default()
}
