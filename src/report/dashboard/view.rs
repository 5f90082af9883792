//! The dashboard's view model: everything the template shows, as plain serialisable
//! data with its labels in one language, and the rendering through minijinja.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{DashboardBuilder, Row, CENTRAL_ROLES};
use crate::report::{InstitutionSummary, Lang};
use crate::ruleset::{QuestionIndex, RuleSet, Section, SectionKind, TipIndex};

/// The template, embedded.
const TEMPLATE: &str = include_str!("../../../templates/dashboard.html");

/// At most this many failed programmes are shown on the page; the count covers all.
const FAILURES_SHOWN: usize = 500;

/// At most this many of the least-answered questions are shown.
const UNKNOWN_QUESTIONS_SHOWN: usize = 15;

/// At most this many ids that no longer exist are named; the count covers all.
const MISSING_IDS_SHOWN: usize = 50;

/// Colour classes of the heatmap, low to high.
const BINS: usize = 8;

/// The dashboard could not be rendered (a fault of the template, not of the data).
#[derive(Debug, thiserror::Error)]
#[error("the dashboard could not be rendered: {0}")]
pub struct DashboardError(String);

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DashboardView {
    /// The page's language code (`nl`, `en`).
    pub lang: &'static str,
    /// The labels of the page in that language, by key.
    pub t: BTreeMap<&'static str, &'static str>,
    /// The institution most programmes name in their metadata, if any.
    pub institution: Option<String>,
    /// The rules: name, version and the start of the content hash.
    pub ruleset: String,
    /// The institution profile applied, if any.
    pub profile: Option<String>,
    /// Programmes read.
    pub programmes: u64,
    /// Programmes advised.
    pub advised: u64,
    /// Programmes that could not be advised.
    pub failed: u64,
    /// The principles and factors, in the Roadmap's order: the heatmap's columns.
    pub sections: Vec<SectionHead>,
    /// The heatmap's colour legend.
    pub legend: Vec<LegendEntry>,
    /// The heatmap's rows, by faculty.
    pub faculties: Vec<FacultyGroup>,
    /// Advised programmes past those listed.
    pub rows_not_listed: u64,
    /// The candidates for institution-wide interventions.
    pub candidates: Vec<CandidateView>,
    /// How the candidates were chosen, in plain words.
    pub candidates_method: String,
    /// The tips the Roadmap addresses to the institution.
    pub central: Vec<CentralTipView>,
    /// First-cycle tips per lead role, most first.
    pub workload: Vec<RoleLoadView>,
    /// Per section, how much was answered.
    pub coverage: Vec<SectionCoverageView>,
    /// The questions most often left open.
    pub unknown_questions: Vec<UnknownQuestionView>,
    /// The programmes that could not be advised.
    pub failures: Vec<FailureView>,
    /// Failed programmes past those shown.
    pub failures_not_shown: u64,
    /// Progress since the earlier run, when one was given.
    pub progress: Option<ProgressView>,
}

/// A heatmap column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionHead {
    /// Short code: `U1` (principle 1) or `F1` (factor 1) in Dutch, `P1` or `F1` in English.
    pub code: String,
    /// The section's id.
    pub id: String,
    /// The Roadmap's title (Dutch).
    pub title: String,
}

/// One colour of the legend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegendEntry {
    /// Its CSS class.
    pub class: String,
    /// The scores it stands for.
    pub range: String,
}

/// The programmes of one faculty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacultyGroup {
    /// The faculty; the "no faculty" label when the metadata names none.
    pub name: String,
    /// Its programmes, by name, then id.
    pub rows: Vec<HeatRow>,
    /// The faculty's mean per section.
    pub means: Vec<Cell>,
}

/// One programme's heatmap row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRow {
    /// Its id.
    pub id: String,
    /// Its name from the metadata, or its id.
    pub name: String,
    /// Its report's file name, as `advise --format html` names it.
    pub link: String,
    /// One cell per section.
    pub cells: Vec<Cell>,
}

/// One cell: a CSS class and the value written in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Its CSS class (colour).
    pub class: &'static str,
    /// The value as shown.
    pub text: String,
    /// The value for sorting (hundredths; empty when none).
    pub sort: String,
}

/// A candidate for an institution-wide intervention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateView {
    /// The tip's id.
    pub id: String,
    /// Its section's code.
    pub section: String,
    /// The Roadmap's text.
    pub text: String,
    /// Its lead's name.
    pub lead: String,
    /// Whether the lead is an institution-level role.
    pub central: bool,
    /// Programmes with it in the first cycle.
    pub in_focus: u64,
    /// That as a percentage of the advised programmes.
    pub share: String,
    /// Programmes the rules recommend it to (anywhere in the plan).
    pub recommended: u64,
    /// Tips that build on it.
    pub fundament: u32,
}

/// A tip the Roadmap addresses to the institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CentralTipView {
    /// The tip's id.
    pub id: String,
    /// Its section's code.
    pub section: String,
    /// The Roadmap's text.
    pub text: String,
    /// Its lead's name.
    pub lead: String,
    /// Programmes with it in the plan.
    pub plan: u64,
    /// Programmes with it in the first cycle.
    pub focus: u64,
}

/// One lead role's workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleLoadView {
    /// The role's name.
    pub name: String,
    /// Whether it is an institution-level role.
    pub central: bool,
    /// First-cycle tips it leads, over all programmes.
    pub focus: u64,
    /// Programmes whose first cycle has a tip it leads.
    pub programmes: u64,
    /// Plan tips it leads, over all programmes.
    pub plan: u64,
    /// `focus` as a percentage of the largest, for the bar.
    pub bar: u64,
}

/// How much of one section was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCoverageView {
    /// Its code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Its tip questions.
    pub questions: usize,
    /// The share of its tip questions answered, over all programmes, as shown.
    pub share: String,
    /// That share as a whole percentage, for the bar.
    pub bar: u64,
    /// The share of programmes that answered its quick scan, as shown; empty without one.
    pub quick_scan: String,
}

/// A question often left open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownQuestionView {
    /// The question's id.
    pub id: String,
    /// The question (Dutch).
    pub text: String,
    /// Programmes that left it open.
    pub open: u64,
    /// That as a percentage of the advised programmes.
    pub share: String,
}

/// A programme that could not be advised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureView {
    /// Its id, or empty.
    pub programme: String,
    /// Its row in the input.
    pub row: u64,
    /// Its problems, one line each.
    pub reasons: Vec<String>,
}

/// Progress since the earlier run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressView {
    /// The earlier run's file.
    pub file: String,
    /// Whether the earlier run used the same rules.
    pub same_rules: bool,
    /// The earlier run's rules, as shown.
    pub previous_rules: String,
    /// Programmes in both runs.
    pub matched: u64,
    /// Programmes advised now that the earlier run did not have.
    pub new_programmes: u64,
    /// Programmes of the earlier run not advised now.
    pub gone: u64,
    /// Error lines of the earlier run, skipped.
    pub error_lines: u64,
    /// Ids of the earlier advice the rules now do not have, over all programmes.
    pub no_longer_exist: u64,
    /// Some of them, sorted.
    pub missing_ids: Vec<String>,
    /// Per section: what moved over all programmes.
    pub sections: Vec<SectionMove>,
    /// Per programme in both runs.
    pub programmes: Vec<ProgrammeMove>,
}

/// What moved in one section over all programmes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionMove {
    /// Its code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Programmes with a score both times.
    pub compared: u64,
    /// The mean change of those, as shown.
    pub mean_change: String,
    /// Programmes that went up.
    pub up: u64,
    /// Programmes that went down.
    pub down: u64,
    /// Tips completed.
    pub completed: u64,
    /// Tips still open from the earlier first cycle.
    pub still_open: u64,
}

/// What moved in one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeMove {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its faculty.
    pub faculty: String,
    /// Its report's file name.
    pub link: String,
    /// The change in score per section.
    pub cells: Vec<Cell>,
    /// Tips completed.
    pub completed: Vec<String>,
    /// Tips still open from the earlier first cycle.
    pub still_open: Vec<String>,
}

impl DashboardView {
    /// The page: one self-contained HTML document.
    pub fn render_html(&self) -> Result<String, DashboardError> {
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_template("dashboard.html", TEMPLATE)
            .map_err(|error| DashboardError(error.to_string()))?;
        let template = env
            .get_template("dashboard.html")
            .map_err(|error| DashboardError(error.to_string()))?;
        template
            .render(minijinja::Value::from_serialize(self))
            .map_err(|error| DashboardError(format!("{error:#}")))
    }
}

/// A number with `decimals` decimals, with a decimal comma in Dutch.
fn number(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// `part` of `whole` as a whole percentage.
fn percent(part: u64, whole: u64) -> u64 {
    (part.saturating_mul(100) + whole / 2)
        .checked_div(whole)
        .unwrap_or(0)
}

fn section_code(lang: Lang, section: &Section) -> String {
    let letter = match section.kind {
        SectionKind::Principle => lang.pick("U", "P"),
        SectionKind::Factor => "F",
    };
    format!("{letter}{}", section.number)
}

/// The colour class of a score in hundredths on a scale from `low` to `high`.
fn score_cell(lang: Lang, score: Option<i64>, low: f64, high: f64) -> Cell {
    const CLASSES: [&str; BINS] = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"];
    let Some(hundredths) = score else {
        return Cell {
            class: "na",
            text: "–".to_owned(),
            sort: String::new(),
        };
    };
    let value = hundredths as f64 / 100.0;
    let span = (high - low).max(f64::EPSILON);
    let bin = (((value - low) / span) * BINS as f64)
        .floor()
        .clamp(0.0, (BINS - 1) as f64);
    Cell {
        class: CLASSES.get(bin as usize).copied().unwrap_or("na"),
        text: number(lang, value, 1),
        sort: hundredths.to_string(),
    }
}

fn change_cell(lang: Lang, change: Option<f64>) -> Cell {
    match change {
        None => Cell {
            class: "na",
            text: "–".to_owned(),
            sort: String::new(),
        },
        Some(change) => {
            let hundredths = (change * 100.0).round() as i64;
            let (class, sign) = match hundredths {
                0 => ("same", ""),
                h if h > 0 => ("up", "+"),
                _ => ("down", "−"),
            };
            Cell {
                class,
                text: format!(
                    "{sign}{}",
                    number(lang, (hundredths.abs() as f64) / 100.0, 2)
                ),
                sort: hundredths.to_string(),
            }
        }
    }
}

fn lead_name(ruleset: &RuleSet, tip: TipIndex) -> (String, bool) {
    let roles = ruleset.roles();
    match roles.lead_of(tip).and_then(|role| roles.get(role)) {
        Some(role) => (role.name.clone(), CENTRAL_ROLES.contains(&role.id.as_str())),
        None => (String::new(), false),
    }
}

/// Builds the view from a finished builder and the summary of the same run.
pub(super) fn build(builder: DashboardBuilder<'_>, summary: &InstitutionSummary) -> DashboardView {
    let ruleset = builder.ruleset;
    let lang = builder.lang;
    let advised = builder.advised;
    let (low, high) = ruleset
        .scales()
        .first()
        .map_or((0.0, 4.0), |scale| (scale.low as f64, scale.high as f64));
    let sections: Vec<SectionHead> = ruleset
        .sections()
        .iter()
        .map(|section| SectionHead {
            code: section_code(lang, section),
            id: section.id.clone(),
            title: section.title.clone(),
        })
        .collect();
    let code_of_tip = |tip: TipIndex| {
        ruleset
            .tip(tip)
            .and_then(|tip| ruleset.sections().get(tip.section.index()))
            .map_or_else(String::new, |section| section_code(lang, section))
    };
    let legend = (0..BINS)
        .map(|bin| {
            let step = (high - low) / BINS as f64;
            let from = low + step * bin as f64;
            let to = from + step;
            LegendEntry {
                class: format!("s{bin}"),
                range: format!("{} – {}", number(lang, from, 1), number(lang, to, 1)),
            }
        })
        .collect();
    let no_faculty = lang.pick("(geen faculteit)", "(no faculty)");
    let mut rows: Vec<&Row> = builder.rows.iter().collect();
    rows.sort_by(|a, b| {
        let key = |row: &&Row| {
            (
                row.faculty.is_none(),
                row.faculty.clone(),
                row.name.clone(),
                row.programme.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut faculties: Vec<FacultyGroup> = Vec::new();
    let mut totals: Vec<(i64, i64)> = Vec::new();
    for row in &rows {
        let faculty = row.faculty.clone().unwrap_or_else(|| no_faculty.to_owned());
        if faculties.last().is_none_or(|group| group.name != faculty) {
            close_group(lang, &mut faculties, &mut totals, low, high);
            faculties.push(FacultyGroup {
                name: faculty,
                rows: Vec::new(),
                means: Vec::new(),
            });
            totals = vec![(0, 0); sections.len()];
        }
        for ((sum, count), score) in totals.iter_mut().zip(&row.scores) {
            if let Some(score) = score {
                *sum += score;
                *count += 1;
            }
        }
        if let Some(group) = faculties.last_mut() {
            group.rows.push(HeatRow {
                id: row.programme.clone(),
                name: row.name.clone().unwrap_or_else(|| row.programme.clone()),
                link: row.link.clone(),
                cells: row
                    .scores
                    .iter()
                    .map(|&score| score_cell(lang, score, low, high))
                    .collect(),
            });
        }
    }
    close_group(lang, &mut faculties, &mut totals, low, high);

    let candidates = summary
        .institution_wide
        .tips
        .iter()
        .filter_map(|count| {
            let index = ruleset.tip_index(&count.id)?;
            let tip = ruleset.tip(index)?;
            let (lead, central) = lead_name(ruleset, index);
            Some(CandidateView {
                id: count.id.clone(),
                section: code_of_tip(index),
                text: tip.text.clone(),
                lead,
                central,
                in_focus: count.in_focus,
                share: format!("{}%", percent(count.in_focus, advised)),
                recommended: count.programmes,
                fundament: tip.fundament,
            })
        })
        .collect();
    let threshold = number(lang, summary.institution_wide.min_share * 100.0, 0);
    let focus = ruleset
        .params()
        .iter()
        .find(|param| param.id == "focus")
        .map_or(3.0, |param| param.value);
    let candidates_method = match lang {
        Lang::Nl => format!(
            "Bijna elke tip staat ergens in het plan van veel opleidingen; dat zegt weinig. \
             Daarom telt hier alleen de eerste cyclus: de tips waarmee een opleiding nu begint \
             (hooguit {focus} van de {} tips). Bij toeval staat een tip in ongeveer {}% van die \
             eerste cycli. Een tip is een kandidaat voor een aanpak voor de hele instelling als \
             hij in de eerste cyclus staat van minstens {threshold}% van de geadviseerde \
             opleidingen. De volgorde: eerst de tips bij de meeste opleidingen, daarna de tips \
             waarop de meeste andere tips voortbouwen (fundament). Er staan er hooguit {} in de lijst.",
            ruleset.tips().len(),
            number(lang, focus * 100.0 / ruleset.tips().len().max(1) as f64, 0),
            crate::report::INSTITUTION_WIDE_LISTED,
        ),
        Lang::En => format!(
            "Nearly every tip is somewhere in the plans of many programmes, which says little. \
             So only the first cycle counts here: the tips a programme starts with now (at most \
             {focus} of the {} tips). By chance a tip is in about {}% of those first cycles. A \
             tip is a candidate for an institution-wide approach when it is in the first cycle of \
             at least {threshold}% of the advised programmes. Order: the tips of most programmes \
             first, then the tips most other tips build on (foundation). At most {} are listed.",
            ruleset.tips().len(),
            number(lang, focus * 100.0 / ruleset.tips().len().max(1) as f64, 0),
            crate::report::INSTITUTION_WIDE_LISTED,
        ),
    };

    let central = TipIndex::enumerate(ruleset.tips())
        .zip(&builder.tips)
        .filter_map(|((index, tip), tally)| {
            let (lead, central) = lead_name(ruleset, index);
            central.then(|| CentralTipView {
                id: tip.id.clone(),
                section: code_of_tip(index),
                text: tip.text.clone(),
                lead,
                plan: tally.plan,
                focus: tally.focus,
            })
        })
        .collect();

    let most = builder
        .roles
        .iter()
        .map(|tally| tally.focus)
        .max()
        .unwrap_or(0);
    let mut workload: Vec<RoleLoadView> = ruleset
        .roles()
        .all()
        .iter()
        .zip(&builder.roles)
        .filter(|(_, tally)| tally.plan > 0)
        .map(|(role, tally)| RoleLoadView {
            name: role.name.clone(),
            central: CENTRAL_ROLES.contains(&role.id.as_str()),
            focus: tally.focus,
            programmes: tally.programmes,
            plan: tally.plan,
            bar: percent(tally.focus, most),
        })
        .collect();
    workload.sort_by_key(|load| (std::cmp::Reverse(load.focus), std::cmp::Reverse(load.plan)));

    let answered_of =
        |question: QuestionIndex| builder.answered.get(question.index()).copied().unwrap_or(0);
    let coverage = ruleset
        .sections()
        .iter()
        .map(|section| {
            let mut questions: Vec<QuestionIndex> = section
                .tips
                .iter()
                .filter_map(|&tip| ruleset.tip(tip)?.maturity_question)
                .collect();
            questions.sort_unstable();
            questions.dedup();
            let answered: u64 = questions.iter().map(|&q| answered_of(q)).sum();
            let possible = (questions.len() as u64).saturating_mul(advised);
            SectionCoverageView {
                code: section_code(lang, section),
                title: section.title.clone(),
                questions: questions.len(),
                share: format!("{}%", percent(answered, possible)),
                bar: percent(answered, possible),
                quick_scan: section
                    .quickscan
                    .map(|q| format!("{}%", percent(answered_of(q), advised)))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let mut unknown: Vec<(u64, usize)> = ruleset
        .questions()
        .iter()
        .enumerate()
        .filter(|(_, question)| !question.info)
        .map(|(index, _)| {
            let answered = builder.answered.get(index).copied().unwrap_or(0);
            (advised.saturating_sub(answered), index)
        })
        .filter(|&(open, _)| open > 0)
        .collect();
    unknown.sort_by_key(|&(open, index)| (std::cmp::Reverse(open), index));
    let unknown_questions = unknown
        .into_iter()
        .take(UNKNOWN_QUESTIONS_SHOWN)
        .filter_map(|(open, index)| {
            let question = ruleset.questions().get(index)?;
            Some(UnknownQuestionView {
                id: question.id.clone(),
                text: question.text.clone(),
                open,
                share: format!("{}%", percent(open, advised)),
            })
        })
        .collect();

    let failures = summary
        .failures
        .iter()
        .take(FAILURES_SHOWN)
        .map(|failure| FailureView {
            programme: failure.programme.clone().unwrap_or_default(),
            row: failure.row,
            reasons: failure
                .errors
                .iter()
                .map(|error| match &error.column {
                    Some(column) => format!("{column}: {}", error.message),
                    None => error.message.clone(),
                })
                .collect(),
        })
        .collect();
    let failures_not_shown = summary
        .failed
        .saturating_sub(summary.failures.len().min(FAILURES_SHOWN) as u64);

    let progress = progress_view(&builder, &rows, &sections, lang);
    let institution = builder
        .institutions
        .iter()
        .max_by_key(|(name, count)| (**count, std::cmp::Reverse((*name).clone())))
        .map(|(name, _)| name.clone());
    let info = ruleset.info();
    DashboardView {
        lang: lang.code(),
        t: labels(lang),
        institution,
        ruleset: format!(
            "{} {} ({})",
            info.name,
            info.version,
            info.hash.get(..12).unwrap_or(&info.hash)
        ),
        profile: summary.profile.clone(),
        programmes: summary.programmes,
        advised: summary.advised,
        failed: summary.failed,
        sections,
        legend,
        faculties,
        rows_not_listed: builder.rows_not_listed,
        candidates,
        candidates_method,
        central,
        workload,
        coverage,
        unknown_questions,
        failures,
        failures_not_shown,
        progress,
    }
}

/// Closes the last faculty group: its mean per section.
fn close_group(
    lang: Lang,
    faculties: &mut [FacultyGroup],
    totals: &mut [(i64, i64)],
    low: f64,
    high: f64,
) {
    if let Some(group) = faculties.last_mut() {
        group.means = totals
            .iter()
            .map(|&(sum, count)| {
                let mean = (count > 0).then(|| (sum as f64 / count as f64).round() as i64);
                score_cell(lang, mean, low, high)
            })
            .collect();
    }
}

fn progress_view(
    builder: &DashboardBuilder<'_>,
    rows: &[&Row],
    sections: &[SectionHead],
    lang: Lang,
) -> Option<ProgressView> {
    let previous = builder.previous.as_ref()?;
    let ruleset = builder.ruleset;
    let mut moves: Vec<(u64, i64, u64, u64, u64, u64)> = vec![(0, 0, 0, 0, 0, 0); sections.len()];
    let mut missing: BTreeMap<&str, ()> = BTreeMap::new();
    let mut no_longer_exist = 0u64;
    let mut programmes = Vec::new();
    let mut same_rules = previous
        .ruleset
        .as_ref()
        .is_none_or(|info| info.hash == ruleset.info().hash);
    for row in rows {
        let Some(progress) = &row.progress else {
            continue;
        };
        same_rules &= progress.same_rules;
        no_longer_exist += progress.no_longer_exist.len() as u64;
        for id in &progress.no_longer_exist {
            missing.insert(id, ());
        }
        for (totals, section) in moves.iter_mut().zip(&progress.sections) {
            if let Some(change) = section.change {
                let hundredths = (change * 100.0).round() as i64;
                totals.0 += 1;
                totals.1 += hundredths;
                totals.2 += u64::from(hundredths > 0);
                totals.3 += u64::from(hundredths < 0);
            }
            totals.4 += u64::from(section.completed);
            totals.5 += u64::from(section.still_open);
        }
        programmes.push(ProgrammeMove {
            id: row.programme.clone(),
            name: row.name.clone().unwrap_or_else(|| row.programme.clone()),
            faculty: row.faculty.clone().unwrap_or_default(),
            link: row.link.clone(),
            cells: progress
                .sections
                .iter()
                .map(|section| change_cell(lang, section.change))
                .collect(),
            completed: progress.completed.clone(),
            still_open: progress.still_open.clone(),
        });
    }
    let section_moves = sections
        .iter()
        .zip(&moves)
        .map(
            |(head, &(compared, sum, up, down, completed, still_open))| SectionMove {
                code: head.code.clone(),
                title: head.title.clone(),
                compared,
                mean_change: if compared == 0 {
                    "–".to_owned()
                } else {
                    change_cell(lang, Some(sum as f64 / compared as f64 / 100.0)).text
                },
                up,
                down,
                completed,
                still_open,
            },
        )
        .collect();
    let previous_rules = previous.ruleset.as_ref().map_or_else(String::new, |info| {
        format!(
            "{} {} ({})",
            info.name,
            info.version,
            info.hash.get(..12).unwrap_or(&info.hash)
        )
    });
    Some(ProgressView {
        file: previous.path.file_name().map_or_else(
            || previous.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
        same_rules,
        previous_rules,
        matched: builder.matched,
        new_programmes: builder.advised.saturating_sub(builder.matched),
        gone: (previous.programmes.len() as u64).saturating_sub(builder.matched),
        error_lines: previous.error_lines,
        no_longer_exist,
        missing_ids: missing
            .keys()
            .take(MISSING_IDS_SHOWN)
            .map(|id| (*id).to_owned())
            .collect(),
        sections: section_moves,
        programmes,
    })
}

/// The page's labels in `lang`.
fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let pairs: [(&str, &str, &str); 47] = [
        ("title", "Studentsucces: overzicht van de instelling", "Student success: institution dashboard"),
        ("contents", "Inhoud", "Contents"),
        ("rules", "Regels", "Rules"),
        ("profile", "Profiel", "Profile"),
        ("programmes", "Opleidingen", "Programmes"),
        ("advised", "geadviseerd", "advised"),
        ("failed", "niet geadviseerd", "not advised"),
        ("heatmap", "Scores per uitgangspunt en factor", "Scores per principle and factor"),
        ("heatmap_intro", "Per opleiding het gemiddelde van de beantwoorde vragen (0 = niet aanwezig, 4 = ingevoerd en geborgd), gegroepeerd per faculteit. Een streepje: geen vraag beantwoord. Klik op een kolomkop om binnen elke faculteit te sorteren.", "Per programme the mean of the answered questions (0 = not present, 4 = implemented and secured), grouped by faculty. A dash: no question answered. Click a column heading to sort within each faculty."),
        ("programme", "Opleiding", "Programme"),
        ("faculty", "Faculteit", "Faculty"),
        ("faculty_mean", "Gemiddelde faculteit", "Faculty mean"),
        ("legend", "Legenda", "Legend"),
        ("colour", "Kleur", "Colour"),
        ("score", "Score", "Score"),
        ("sections", "Uitgangspunten en factoren", "Principles and factors"),
        ("code", "Code", "Code"),
        ("section_title", "Titel (Roadmap)", "Title (Roadmap)"),
        ("not_listed", "opleidingen niet afzonderlijk getoond", "programmes not shown separately"),
        ("candidates", "Kandidaten voor een aanpak voor de hele instelling", "Candidates for institution-wide interventions"),
        ("how_chosen", "Hoe gekozen", "How they were chosen"),
        ("no_candidates", "Geen tip haalt de drempel.", "No tip reaches the threshold."),
        ("tip", "Tip", "Tip"),
        ("section", "Onderdeel", "Section"),
        ("lead", "Trekker", "Lead"),
        ("in_focus", "In eerste cyclus", "In first cycle"),
        ("recommended", "Aanbevolen (hele plan)", "Recommended (whole plan)"),
        ("fundament", "Fundament (tips die erop voortbouwen)", "Foundation (tips building on it)"),
        ("central", "Centrale verantwoordelijkheden", "Central responsibilities"),
        ("central_intro", "Tips waarvan de trekker een rol op instellingsniveau is (instellingsbestuur of centrale diensten): deze vragen om een besluit of aanpak van de instelling, niet van één opleiding.", "Tips led by an institution-level role (the board or central services): these call for a decision or approach of the institution, not of one programme."),
        ("central_flag", "centraal", "central"),
        ("in_plan", "In plan", "In plan"),
        ("workload", "Werklast per trekker", "Workload per lead"),
        ("workload_intro", "Tips die elke rol in de eerste cyclus trekt, opgeteld over alle opleidingen.", "Tips each role leads in the first cycle, summed over all programmes."),
        ("role", "Rol", "Role"),
        ("coverage", "Wat de instelling nog niet weet", "What the institution does not know yet"),
        ("coverage_intro", "Per onderdeel het deel van de tipvragen dat de opleidingen beantwoordden, en de vragen die het vaakst open bleven (\"weet niet\" of leeg).", "Per section the share of tip questions the programmes answered, and the questions most often left open (\"don't know\" or empty)."),
        ("questions", "Vragen", "Questions"),
        ("answered", "Beantwoord", "Answered"),
        ("quick_scan", "Quickscan beantwoord", "Quick scan answered"),
        ("question", "Vraag", "Question"),
        ("open", "Open", "Open"),
        ("failures", "Opleidingen die niet geadviseerd konden worden", "Programmes that could not be advised"),
        ("no_failures", "Alle opleidingen zijn geadviseerd.", "Every programme was advised."),
        ("row", "Rij", "Row"),
        ("reason", "Reden", "Reason"),
        ("more", "meer", "more"),
    ];
    let extra: [(&str, &str, &str); 20] = [
        ("progress", "Voortgang sinds de vorige keer", "Progress since last time"),
        ("progress_intro", "Vergeleken met het eerdere advies: de verandering in score, tips afgerond (in het vorige plan, nu niet meer nodig) en tips nog open uit de vorige eerste cyclus.", "Compared with the earlier advice: the change in score, tips completed (in the previous plan, no longer needed now) and tips still open from the previous first cycle."),
        ("previous_file", "Eerdere run", "Earlier run"),
        ("other_rules", "Let op: de eerdere run gebruikte andere regels; ids zijn gekoppeld waar ze nog bestaan.", "Note: the earlier run used other rules; ids are matched where they still exist."),
        ("matched", "in beide runs", "in both runs"),
        ("new_programmes", "nieuw", "new"),
        ("gone", "niet meer aanwezig", "no longer present"),
        ("error_lines", "foutregels overgeslagen", "error lines skipped"),
        ("no_longer_exist", "ids die niet meer bestaan", "ids that no longer exist"),
        ("compared", "Vergeleken", "Compared"),
        ("mean_change", "Gem. verandering", "Mean change"),
        ("up", "Omhoog", "Up"),
        ("down", "Omlaag", "Down"),
        ("completed", "Afgerond", "Completed"),
        ("still_open", "Nog open", "Still open"),
        ("per_section", "Per onderdeel", "Per section"),
        ("per_programme", "Per opleiding", "Per programme"),
        ("change", "Verandering in score per onderdeel", "Change in score per section"),
        ("generated_by", "Gemaakt met studentsucces; de teksten van de Roadmap zijn Nederlands.", "Made with studentsucces; the Roadmap's texts are Dutch."),
        ("central_col", "Centraal", "Central"),
    ];
    pairs
        .into_iter()
        .chain(extra)
        .map(|(key, dutch, english)| (key, lang.pick(dutch, english)))
        .collect()
}
