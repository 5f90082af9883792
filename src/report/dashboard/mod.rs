//! The institution dashboard: one self-contained HTML page for a quality office to put
//! in front of its board. A [`DashboardBuilder`] takes the advised programmes one at a
//! time (by index, as a batch has them), [`DashboardBuilder::finish`] turns them and
//! the [`InstitutionSummary`] of the same run into a [`DashboardView`] (plain data,
//! labels in the chosen [`Lang`], the Roadmap's texts in Dutch), and
//! [`DashboardView::render_html`] renders it with the template
//! `templates/dashboard.html` (minijinja, HTML autoescape).

mod view;

use std::collections::BTreeMap;

use fixedbitset::FixedBitSet;

use super::programme::{FileNames, PageFormat};
use super::progress::{AdviceSnapshot, PreviousRun, Progress};
use super::{InstitutionSummary, Lang};
use crate::ruleset::{RoleIndex, RuleSet, TipIndex};

pub use view::{
    CandidateView, Cell, CentralTipView, DashboardError, DashboardView, FacultyGroup, FailureView,
    HeatRow, LegendEntry, ProgrammeMove, ProgressView, RoleLoadView, SectionCoverageView,
    SectionHead, SectionMove, UnknownQuestionView,
};

/// At most this many programmes get a row of their own in the heatmap and the progress
/// table; the counts and every other part cover all.
pub const DASHBOARD_PROGRAMMES_LISTED: usize = 10_000;

/// Stakeholder roles at the level of the institution rather than of a programme: the
/// board and the central services. A tip one of them leads is a central responsibility.
pub const CENTRAL_ROLES: [&str; 7] = [
    "instellingsbestuur",
    "beleidsadviseurs",
    "beleidsadviseurs_ict",
    "ict_deskundigen",
    "functioneel_beheer",
    "hr_adviseurs",
    "studentzaken",
];

/// One advised programme as the dashboard takes it, by index.
#[derive(Debug, Clone, Copy)]
pub struct DashboardProgramme<'a> {
    /// Its id.
    pub programme: &'a str,
    /// Its metadata: `name` and `faculty` name and group it.
    pub meta: &'a BTreeMap<String, serde_json::Value>,
    /// Per section, in the rule set's order, its score in hundredths.
    pub scores: &'a [Option<i64>],
    /// The plan's tips, in plan order (phases are not needed).
    pub plan: &'a [TipIndex],
    /// The first cycle.
    pub focus: &'a [TipIndex],
    /// The second cycle.
    pub cycle_two: &'a [TipIndex],
    /// The questions answered, by index.
    pub answered: &'a FixedBitSet,
}

/// One programme's row, kept until the page is built.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    programme: String,
    /// The file name of its own report, as `advise --format html` names it.
    link: String,
    name: Option<String>,
    faculty: Option<String>,
    scores: Vec<Option<i64>>,
    progress: Option<Progress>,
}

/// Per tip: programmes with it in the plan and in the first cycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TipTally {
    plan: u64,
    focus: u64,
}

/// Per role: first-cycle tips it leads, plan tips it leads, programmes whose first
/// cycle has a tip it leads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RoleTally {
    focus: u64,
    plan: u64,
    programmes: u64,
}

/// Accumulates the dashboard of a batch run, one advised programme at a time in input
/// order. Add only programmes advised with the rule set it was made for.
#[derive(Debug, Clone)]
pub struct DashboardBuilder<'r> {
    ruleset: &'r RuleSet,
    lang: Lang,
    previous: Option<PreviousRun>,
    advised: u64,
    rows: Vec<Row>,
    rows_not_listed: u64,
    /// Programmes of the earlier run seen in this one.
    matched: u64,
    /// Per question: programmes that answered it.
    answered: Vec<u64>,
    tips: Vec<TipTally>,
    roles: Vec<RoleTally>,
    /// The most common `institution` of the programmes' metadata, counted.
    institutions: BTreeMap<String, u64>,
    /// The report file names, handed out in input order as the pages get them.
    file_names: FileNames,
}

impl<'r> DashboardBuilder<'r> {
    /// An empty dashboard of programmes advised with `ruleset`, labelled in `lang`, and
    /// compared with an earlier run when there is one.
    pub fn new(
        ruleset: &'r RuleSet,
        lang: Lang,
        previous: Option<PreviousRun>,
    ) -> DashboardBuilder<'r> {
        DashboardBuilder {
            ruleset,
            lang,
            previous,
            advised: 0,
            rows: Vec::new(),
            rows_not_listed: 0,
            matched: 0,
            answered: vec![0; ruleset.questions().len()],
            tips: vec![TipTally::default(); ruleset.tips().len()],
            roles: vec![RoleTally::default(); ruleset.roles().all().len()],
            institutions: BTreeMap::new(),
            file_names: FileNames::new(PageFormat::Html.extension(), &[PageFormat::INDEX_STEM]),
        }
    }

    /// Adds one advised programme.
    pub fn add(&mut self, programme: &DashboardProgramme<'_>) {
        self.advised += 1;
        for question in programme.answered.ones() {
            if let Some(count) = self.answered.get_mut(question) {
                *count += 1;
            }
        }
        for &tip in programme.plan {
            if let Some(tally) = self.tips.get_mut(tip.index()) {
                tally.plan += 1;
            }
            if let Some(role) = self.ruleset.roles().lead_of(tip) {
                if let Some(tally) = self.roles.get_mut(role.index()) {
                    tally.plan += 1;
                }
            }
        }
        let mut leads_now: Vec<RoleIndex> = Vec::new();
        for &tip in programme.focus {
            if let Some(tally) = self.tips.get_mut(tip.index()) {
                tally.focus += 1;
            }
            if let Some(role) = self.ruleset.roles().lead_of(tip) {
                if let Some(tally) = self.roles.get_mut(role.index()) {
                    tally.focus += 1;
                }
                if !leads_now.contains(&role) {
                    leads_now.push(role);
                }
            }
        }
        for role in leads_now {
            if let Some(tally) = self.roles.get_mut(role.index()) {
                tally.programmes += 1;
            }
        }
        let text = |key: &str| {
            programme
                .meta
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
        };
        if let Some(institution) = text("institution") {
            *self.institutions.entry(institution).or_insert(0) += 1;
        }
        let id = programme.programme.trim();
        let progress = self.progress(programme);
        let link = self.file_names.assign(programme.programme);
        if self.rows.len() >= DASHBOARD_PROGRAMMES_LISTED {
            self.rows_not_listed += 1;
            return;
        }
        self.rows.push(Row {
            programme: id.to_owned(),
            link,
            name: text("name"),
            faculty: text("faculty"),
            scores: programme.scores.to_vec(),
            progress,
        });
    }

    /// The programme's progress since the earlier run, if it was in it.
    fn progress(&mut self, programme: &DashboardProgramme<'_>) -> Option<Progress> {
        let previous = self
            .previous
            .as_ref()?
            .programmes
            .get(programme.programme.trim())?;
        self.matched += 1;
        let cycle = |tip: &TipIndex| {
            if programme.focus.contains(tip) {
                1
            } else if programme.cycle_two.contains(tip) {
                2
            } else {
                3
            }
        };
        let current = AdviceSnapshot::from_indices(
            self.ruleset,
            programme.programme.trim(),
            programme.scores,
            programme.plan.iter().map(|tip| (*tip, cycle(tip))),
        );
        Some(Progress::compare(self.ruleset, previous, &current))
    }

    /// Programmes added so far.
    pub fn advised(&self) -> u64 {
        self.advised
    }

    /// The page's data, with the summary of the same run (its candidates, failures and
    /// counts).
    pub fn finish(self, summary: &InstitutionSummary) -> DashboardView {
        view::build(self, summary)
    }
}
