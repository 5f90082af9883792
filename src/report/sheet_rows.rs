//! One programme's advice as the rows of a spreadsheet: its scores and coverage, one row
//! per plan tip with the tip's text, lead, reason and evidence, and per role the tips it
//! leads or takes part in per cycle. The CSV long format writes the tip rows; the Excel
//! workbook (`report::workbook`) writes all three. Rendered per programme on the batch's
//! worker threads ([`super::OutputFormat::SheetRows`]) and collected into one file at
//! the end. The Roadmap's texts and the reasons stay Dutch.

use serde::{Deserialize, Serialize};

use super::output::AdvisedProgramme;
use super::Lang;
use crate::eval::Confidence;
use crate::input::RowError;
use crate::plan::{lanes_of, LATER};
use crate::ruleset::{horizon_text, RuleSet, SectionIndex};

/// Between the parts of a joined cell (stakeholders, reasons of several rules).
pub(crate) const SEPARATOR: &str = "; ";

/// The rows of one programme, advised or failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeRows {
    /// Its row in the input.
    pub row: u64,
    /// Its id.
    pub programme: String,
    /// The `name` of its metadata, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The `faculty` of its metadata, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faculty: Option<String>,
    /// Per principle and factor (in the rule set's order), the mean of its answered
    /// questions in hundredths; `None` when none is answered. Empty for a failure.
    #[serde(default)]
    pub scores: Vec<Option<i64>>,
    /// How many of the tip questions were answered.
    #[serde(default)]
    pub answered: u32,
    /// How many tip questions the rule set asks.
    #[serde(default)]
    pub questions: u32,
    /// Why the programme could not be advised (every problem of its row, in Dutch or as
    /// the reader said it); `None` when it was advised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// One row per plan tip, in plan order.
    #[serde(default)]
    pub tips: Vec<TipRow>,
    /// One row per role that leads or takes part in a plan tip, in the roles' order.
    #[serde(default)]
    pub stakeholders: Vec<StakeholderRow>,
}

/// One plan tip of a programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TipRow {
    /// The tip's id.
    pub tip: String,
    /// Its section's id.
    pub section: String,
    /// Its section's title.
    pub section_title: String,
    /// The tip's text, verbatim from the Roadmap.
    pub text: String,
    /// The lead's id (empty when the tip has none).
    pub lead: String,
    /// The lead's display name (the institution profile's, if it renames it).
    pub lead_name: String,
    /// The ids of the other roles involved.
    pub stakeholders: Vec<String>,
    /// Their display names.
    pub stakeholder_names: Vec<String>,
    /// Its section's horizon (`kort-midden`), empty when the Roadmap gives none.
    pub horizon: String,
    /// 1 this cycle, 2 next cycle, 3 later.
    pub cycle: u8,
    /// The dependency phase, from 1.
    pub phase: u32,
    /// 0–100.
    pub priority: u8,
    /// Why it is in the plan, in Dutch: why now (cycle 1), else the reasons of the rules
    /// that recommended it, or the tips that need it; and the context assumed.
    pub reason: String,
    /// The answer it rests on and the target, in Dutch.
    pub evidence: String,
}

/// One role's share of a programme's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StakeholderRow {
    /// The role's id.
    pub stakeholder: String,
    /// Its display name.
    pub name: String,
    /// The plan tips it leads, per cycle (this, next, later).
    pub leads: [u32; 3],
    /// The plan tips it takes part in without leading them, per cycle.
    pub involved: [u32; 3],
}

/// The name of a plan cycle in `lang`, as the text output heads it.
pub(crate) fn cycle_name(cycle: u8, lang: Lang) -> &'static str {
    match cycle {
        1 => lang.pick("Deze cyclus", "This cycle"),
        2 => lang.pick("Volgende cyclus", "Next cycle"),
        _ => "Later",
    }
}

/// The index of a cycle into a per-cycle count.
fn cycle_slot(cycle: u8) -> usize {
    usize::from(cycle.clamp(1, LATER)) - 1
}

impl ProgrammeRows {
    /// The rows of an advised programme.
    pub fn advised(ruleset: &RuleSet, programme: &AdvisedProgramme<'_>) -> ProgrammeRows {
        let meta_text = |key: &str| {
            programme
                .meta
                .get(key)
                .and_then(|value| match value {
                    serde_json::Value::String(text) => Some(text.clone()),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                })
                .filter(|text| !text.is_empty())
        };
        let (answered, questions) = SectionIndex::enumerate(ruleset.sections())
            .map(|(index, section)| ruleset.section_coverage(index, section, programme.answers))
            .fold((0, 0), |(answered, questions), coverage| {
                (answered + coverage.answered, questions + coverage.questions)
            });
        ProgrammeRows {
            row: programme.row,
            programme: programme.programme.to_owned(),
            name: meta_text("name"),
            faculty: meta_text("faculty"),
            scores: programme.scores.to_vec(),
            answered,
            questions,
            error: None,
            tips: tip_rows(ruleset, programme),
            stakeholders: stakeholder_rows(ruleset, programme),
        }
    }

    /// The row of a programme that could not be advised: its id and every problem.
    pub fn failed(programme: &str, row: u64, errors: &[RowError]) -> ProgrammeRows {
        let messages: Vec<&str> = errors.iter().map(|error| error.message.as_str()).collect();
        ProgrammeRows {
            row,
            programme: programme.to_owned(),
            name: None,
            faculty: None,
            scores: Vec::new(),
            answered: 0,
            questions: 0,
            error: Some(messages.join(SEPARATOR)),
            tips: Vec::new(),
            stakeholders: Vec::new(),
        }
    }
}

/// One row per plan tip, in plan order.
pub(crate) fn tip_rows(ruleset: &RuleSet, programme: &AdvisedProgramme<'_>) -> Vec<TipRow> {
    let roles = ruleset.roles();
    let role_name = |role| roles.get(role).map_or("", |role| role.name.as_str());
    let tips = ruleset.advised_tips(programme.answers, programme.evaluation, programme.plan);
    tips.iter()
        .filter_map(|advised| {
            let tip = ruleset.tip(advised.index)?;
            let section = ruleset.section_of(tip);
            let lead_role = roles.lead_of(advised.index);
            let involved: Vec<_> = roles
                .of_tip(advised.index)
                .iter()
                .copied()
                .filter(|&role| Some(role) != lead_role)
                .collect();
            let because: Vec<_> = ruleset
                .tip_reasons(programme.evaluation, advised.index)
                .collect();
            let pulled_in_by = tips.pulled_in_by(advised);
            let facts = (programme.answers, programme.evaluation);
            let why_now = ruleset.advised_why_now(&tips, advised, facts);
            let mut reason = match (why_now, because.is_empty()) {
                (Some(why), _) => why,
                (None, false) => {
                    let mut texts: Vec<&str> = Vec::new();
                    for reason in &because {
                        let text = ruleset.reason_text(reason);
                        if !text.is_empty() && !texts.contains(&text) {
                            texts.push(text);
                        }
                    }
                    texts.join(" ")
                }
                (None, true) if !pulled_in_by.is_empty() => {
                    format!("Voorwaarde voor {}.", pulled_in_by.join(", "))
                }
                (None, true) => String::new(),
            };
            if let Some(context) = ruleset.advised_context_assumed(advised, programme.answers) {
                if !reason.is_empty() {
                    reason.push(' ');
                }
                reason.push_str(&context);
            }
            let mut evidence = ruleset.evidence(tip, programme.answers).summary;
            if advised.confidence == Confidence::QuickScan && !evidence.is_empty() {
                evidence.push_str(" (quick-scan)");
            }
            Some(TipRow {
                tip: tip.id.clone(),
                section: section.map_or_else(String::new, |section| section.id.clone()),
                section_title: section.map_or_else(String::new, |section| section.title.clone()),
                text: tip.text.clone(),
                lead: lead_role
                    .and_then(|lead| roles.get(lead))
                    .map_or_else(String::new, |lead| lead.id.clone()),
                lead_name: lead_role.map_or("", role_name).to_owned(),
                stakeholders: roles.ids(&involved),
                stakeholder_names: involved
                    .iter()
                    .map(|&role| role_name(role).to_owned())
                    .collect(),
                horizon: section
                    .and_then(|section| horizon_text(section.horizon))
                    .unwrap_or_default(),
                cycle: advised.cycle,
                phase: advised.phase,
                priority: advised.priority,
                reason,
                evidence,
            })
        })
        .collect()
}

/// Per role that leads or takes part in a plan tip, its tips per cycle.
fn stakeholder_rows(ruleset: &RuleSet, programme: &AdvisedProgramme<'_>) -> Vec<StakeholderRow> {
    let steps = programme.plan.steps();
    let cycle_of = |tip| {
        steps
            .iter()
            .find(|step| step.tip == tip)
            .map_or(LATER, |step| step.cycle)
    };
    let roles = ruleset.roles();
    lanes_of(ruleset, steps.iter().map(|step| step.tip))
        .into_iter()
        .filter_map(|lane| {
            let role = roles.get(lane.role)?;
            let mut leads = [0; 3];
            let mut involved = [0; 3];
            for (tips, counts) in [(&lane.led, &mut leads), (&lane.involved, &mut involved)] {
                for &tip in tips {
                    if let Some(count) = counts.get_mut(cycle_slot(cycle_of(tip))) {
                        *count += 1;
                    }
                }
            }
            Some(StakeholderRow {
                stakeholder: role.id.clone(),
                name: role.name.clone(),
                leads,
                involved,
            })
        })
        .collect()
}
