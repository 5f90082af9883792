//! The institution summary, tallied one programme at a time in input order. Every
//! count is an integer and every score is kept in hundredths, so the summary is the
//! same whatever the order of addition and the thread count; memory is bounded by the
//! number of distinct scores, not of programmes.

use std::collections::BTreeMap;

use super::pipeline::{Processed, ProgrammeStats};
use crate::input::RowError;
use crate::report::{
    from_hundredths, FailedProgramme, InstitutionSummary, InstitutionWide, LevelCount,
    SectionDistribution, StakeholderWorkload, TipCount, FAILURES_LISTED, INSTITUTION_WIDE_LISTED,
    SUMMARY_SCHEMA_VERSION,
};
use crate::ruleset::{RuleSet, Section, SectionIndex, Tip};

/// Running totals of one tip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TipTotals {
    programmes: u64,
    priority_sum: u64,
    in_focus: u64,
}

/// Running totals of one stakeholder role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RoleTotals {
    programmes: u64,
    tips: u64,
    phase_one_tips: u64,
    max_tips: u64,
}

/// Scores in hundredths from 0 up to (not including) this bound are counted in a table;
/// the means of scale answers (levels 0–3 or 0–5) all fall in it.
const SCORES_IN_TABLE: usize = 1024;

/// Programmes by score in hundredths, for one section: a table indexed by the score for
/// the common scores, so adding one is an increment rather than a search in a map; a map
/// for the rest, so memory stays bounded by the number of distinct scores.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ScoreCounts {
    /// Programmes per score below [`SCORES_IN_TABLE`]; empty until the first score.
    table: Vec<u64>,
    /// Programmes per other score.
    others: BTreeMap<i64, u64>,
}

impl ScoreCounts {
    /// Counts one programme with `score`.
    fn add(&mut self, score: i64) {
        if self.table.is_empty() {
            self.table = vec![0; SCORES_IN_TABLE];
        }
        let slot = usize::try_from(score)
            .ok()
            .and_then(|at| self.table.get_mut(at));
        match slot {
            Some(count) => *count += 1,
            None => *self.others.entry(score).or_insert(0) += 1,
        }
    }

    /// Adds the programmes `other` counted.
    fn merge(&mut self, other: &ScoreCounts) {
        if !other.table.is_empty() {
            if self.table.is_empty() {
                self.table = vec![0; SCORES_IN_TABLE];
            }
            for (count, added) in self.table.iter_mut().zip(&other.table) {
                *count += added;
            }
        }
        for (&score, &count) in &other.others {
            *self.others.entry(score).or_insert(0) += count;
        }
    }

    /// Programmes by score, every score counted at least once, in score order.
    fn by_score(&self) -> BTreeMap<i64, u64> {
        let mut counts = self.others.clone();
        let counted = self
            .table
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0);
        for (score, &count) in counted {
            counts.insert(i64::try_from(score).unwrap_or(i64::MAX), count);
        }
        counts
    }
}

/// Accumulates the institution summary of a batch run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    advised: u64,
    failed: u64,
    /// Per section: programmes by score in hundredths.
    scores: Vec<ScoreCounts>,
    /// Per section: programmes without a score.
    not_scored: Vec<u64>,
    tips: Vec<TipTotals>,
    roles: Vec<RoleTotals>,
    /// Per role: its plan tips in the programme being added.
    role_scratch: Vec<u64>,
    /// Per section: the plan tips and phase-1 plan tips of the programme being added.
    section_tips: Vec<(u64, u64)>,
    failures: Vec<FailedProgramme>,
    failures_not_listed: u64,
}

impl Tally {
    /// An empty tally for `ruleset`.
    pub fn new(ruleset: &RuleSet) -> Tally {
        let sections = ruleset.sections().len();
        let roles = ruleset.roles().all().len();
        Tally {
            advised: 0,
            failed: 0,
            scores: vec![ScoreCounts::default(); sections],
            not_scored: vec![0; sections],
            tips: vec![TipTotals::default(); ruleset.tips().len()],
            roles: vec![RoleTotals::default(); roles],
            role_scratch: vec![0; roles],
            section_tips: vec![(0, 0); sections],
            failures: Vec::new(),
            failures_not_listed: 0,
        }
    }

    /// Adds one processed programme.
    pub fn add(&mut self, ruleset: &RuleSet, processed: &Processed) {
        match &processed.outcome {
            Ok(stats) => self.add_stats(ruleset, stats),
            Err(errors) => self.add_failure(&processed.programme, processed.row, errors),
        }
    }

    /// Programmes advised so far.
    pub fn advised(&self) -> u64 {
        self.advised
    }

    /// Programmes failed so far.
    pub fn failed(&self) -> u64 {
        self.failed
    }

    /// Adds one advised programme.
    pub(crate) fn add_stats(&mut self, ruleset: &RuleSet, stats: &ProgrammeStats) {
        self.advised += 1;
        for ((counts, not_scored), score) in self
            .scores
            .iter_mut()
            .zip(&mut self.not_scored)
            .zip(&stats.scores)
        {
            match score {
                Some(score) => counts.add(*score),
                None => *not_scored += 1,
            }
        }
        for &(tip, priority) in &stats.recommended {
            if let Some(totals) = self.tips.get_mut(tip.index()) {
                totals.programmes += 1;
                totals.priority_sum += u64::from(priority);
            }
        }
        for &tip in &stats.focus {
            if let Some(totals) = self.tips.get_mut(tip.index()) {
                totals.in_focus += 1;
            }
        }
        self.add_workload(ruleset, stats);
    }

    /// Adds a plan's tips to the roles' workloads. A tip involves the roles of its
    /// section, so the plan's tips are counted per section first: a few hundred
    /// additions per programme instead of one per tip and role.
    fn add_workload(&mut self, ruleset: &RuleSet, stats: &ProgrammeStats) {
        let roles = ruleset.roles();
        self.section_tips.fill((0, 0));
        for &(tip, phase) in &stats.plan {
            let section = ruleset.tip(tip).map(|tip| tip.section.index());
            if let Some((tips, phase_one)) = section.and_then(|s| self.section_tips.get_mut(s)) {
                *tips += 1;
                *phase_one += u64::from(phase == 1);
            }
        }
        self.role_scratch.fill(0);
        for (section, &(tips, phase_one)) in SectionIndex::enumerate(&self.section_tips) {
            if tips == 0 {
                continue;
            }
            for &role in roles.of_section(section) {
                let index = role.index();
                if let Some(count) = self.role_scratch.get_mut(index) {
                    *count += tips;
                }
                if let Some(totals) = self.roles.get_mut(index) {
                    totals.phase_one_tips += phase_one;
                }
            }
        }
        for (totals, &count) in self.roles.iter_mut().zip(&self.role_scratch) {
            totals.tips += count;
            totals.programmes += u64::from(count > 0);
            totals.max_tips = totals.max_tips.max(count);
        }
    }

    /// Adds the programmes `other` tallied, as if they came after this tally's: every
    /// count is a sum (the busiest programme's workload a maximum), so merging tallies
    /// of parts of a cohort gives the tally of the whole in any grouping; the failures
    /// of `other` are listed after these ones, up to [`FAILURES_LISTED`].
    pub fn merge(&mut self, other: Tally) {
        self.advised += other.advised;
        self.failed += other.failed;
        for (counts, added) in self.scores.iter_mut().zip(&other.scores) {
            counts.merge(added);
        }
        for (count, added) in self.not_scored.iter_mut().zip(&other.not_scored) {
            *count += added;
        }
        for (totals, added) in self.tips.iter_mut().zip(&other.tips) {
            totals.programmes += added.programmes;
            totals.priority_sum += added.priority_sum;
            totals.in_focus += added.in_focus;
        }
        for (totals, added) in self.roles.iter_mut().zip(&other.roles) {
            totals.programmes += added.programmes;
            totals.tips += added.tips;
            totals.phase_one_tips += added.phase_one_tips;
            totals.max_tips = totals.max_tips.max(added.max_tips);
        }
        let room = FAILURES_LISTED.saturating_sub(self.failures.len());
        let mut failures = other.failures;
        let unlisted = failures.len().saturating_sub(room);
        failures.truncate(room);
        self.failures.extend(failures);
        self.failures_not_listed += other.failures_not_listed + unlisted as u64;
    }

    /// Adds one programme that could not be advised: its id (empty when it has none),
    /// its row and its problems.
    pub(crate) fn add_failure(&mut self, programme: &str, row: u64, errors: &[RowError]) {
        self.failed += 1;
        if self.failures.len() >= FAILURES_LISTED {
            self.failures_not_listed += 1;
            return;
        }
        let programme = programme.trim();
        self.failures.push(FailedProgramme {
            programme: (!programme.is_empty()).then(|| programme.to_owned()),
            row,
            errors: errors.to_vec(),
        });
    }

    /// The summary; `min_share` (0–1) selects the institution-wide tips (see
    /// [`InstitutionWide`]).
    pub fn finish(self, ruleset: &RuleSet, min_share: f64, blank_rows: u64) -> InstitutionSummary {
        let advised = self.advised;
        let tips = self.tip_counts(ruleset);
        let institution_wide = self.institution_wide(ruleset, min_share);
        InstitutionSummary {
            schema_version: SUMMARY_SCHEMA_VERSION,
            ruleset: ruleset.info().clone(),
            profile: ruleset.roles().profile().map(str::to_owned),
            programmes: advised + self.failed,
            advised,
            failed: self.failed,
            blank_rows,
            sections: ruleset
                .sections()
                .iter()
                .zip(self.scores.iter().zip(&self.not_scored))
                .map(|(section, (counts, &not_scored))| {
                    distribution(section, &counts.by_score(), not_scored)
                })
                .collect(),
            institution_wide: InstitutionWide {
                min_share,
                tips: institution_wide,
            },
            tips,
            stakeholders: self.workloads(ruleset),
            failures: self.failures,
            failures_not_listed: self.failures_not_listed,
        }
    }

    /// The candidates for institution-wide interventions: the tips in the first cycle
    /// (the focus) of at least `min_share` of the advised programmes, most programmes
    /// first, then the most tips building on it, then catalogue order; at most
    /// [`INSTITUTION_WIDE_LISTED`].
    fn institution_wide(&self, ruleset: &RuleSet, min_share: f64) -> Vec<TipCount> {
        let advised = self.advised;
        let mut candidates: Vec<(TipCount, u32)> = ruleset
            .tips()
            .iter()
            .zip(&self.tips)
            .filter(|(_, totals)| {
                advised > 0
                    && totals.in_focus > 0
                    && totals.in_focus as f64 >= min_share * advised as f64
            })
            .map(|(tip, totals)| (self.tip_count(ruleset, tip, totals), tip.fundament))
            .collect();
        // A stable sort keeps catalogue order among equals.
        candidates.sort_by_key(|(count, fundament)| {
            (
                std::cmp::Reverse(count.in_focus),
                std::cmp::Reverse(*fundament),
            )
        });
        candidates.truncate(INSTITUTION_WIDE_LISTED);
        candidates.into_iter().map(|(count, _)| count).collect()
    }

    /// Every tip recommended at least once: most programmes first, then catalogue order.
    fn tip_counts(&self, ruleset: &RuleSet) -> Vec<TipCount> {
        let mut counts: Vec<TipCount> = ruleset
            .tips()
            .iter()
            .zip(&self.tips)
            .filter(|(_, totals)| totals.programmes > 0)
            .map(|(tip, totals)| self.tip_count(ruleset, tip, totals))
            .collect();
        // A stable sort keeps catalogue order among equal counts.
        counts.sort_by_key(|count| std::cmp::Reverse(count.programmes));
        counts
    }

    fn tip_count(&self, ruleset: &RuleSet, tip: &Tip, totals: &TipTotals) -> TipCount {
        TipCount {
            id: tip.id.clone(),
            factor: ruleset
                .section_of(tip)
                .map_or_else(String::new, |section| section.id.clone()),
            programmes: totals.programmes,
            share: rounded(ratio(totals.programmes, self.advised), 4),
            mean_priority: rounded(ratio(totals.priority_sum, totals.programmes), 2),
            in_focus: totals.in_focus,
        }
    }

    fn workloads(&self, ruleset: &RuleSet) -> Vec<StakeholderWorkload> {
        ruleset
            .roles()
            .all()
            .iter()
            .zip(&self.roles)
            .map(|(role, totals)| StakeholderWorkload {
                id: role.id.clone(),
                name: role.name.clone(),
                programmes: totals.programmes,
                tips: totals.tips,
                phase_one_tips: totals.phase_one_tips,
                mean_tips: rounded(ratio(totals.tips, self.advised), 2),
                max_tips: totals.max_tips,
            })
            .collect()
    }
}

fn distribution(
    section: &Section,
    counts: &BTreeMap<i64, u64>,
    not_scored: u64,
) -> SectionDistribution {
    let scored: u64 = counts.values().sum();
    let total: i128 = counts
        .iter()
        .map(|(&score, &count)| i128::from(score) * i128::from(count))
        .sum();
    let mean = (scored > 0).then(|| rounded(total as f64 / scored as f64 / 100.0, 2));
    let quantile = |fraction: f64| nearest_rank(counts, scored, fraction).map(from_hundredths);
    let mut levels: BTreeMap<i64, u64> = BTreeMap::new();
    for (&score, &count) in counts {
        *levels.entry(score.div_euclid(100)).or_insert(0) += count;
    }
    SectionDistribution {
        id: section.id.clone(),
        kind: section.kind,
        number: section.number,
        title: section.title.clone(),
        scored,
        not_scored,
        mean,
        min: counts.keys().next().copied().map(from_hundredths),
        p25: quantile(0.25),
        median: quantile(0.5),
        p75: quantile(0.75),
        max: counts.keys().next_back().copied().map(from_hundredths),
        levels: levels
            .into_iter()
            .map(|(level, programmes)| LevelCount { level, programmes })
            .collect(),
    }
}

/// The nearest-rank quantile: the smallest score with at least `fraction` of the
/// programmes at or below it.
fn nearest_rank(counts: &BTreeMap<i64, u64>, total: u64, fraction: f64) -> Option<i64> {
    // INVARIANT: fraction is in 0..=1, so the rank lies in 1..=total.
    let rank = ((fraction * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    counts.iter().find_map(|(&score, &count)| {
        seen += count;
        (seen >= rank).then_some(score)
    })
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let counts: BTreeMap<i64, u64> = [(100, 1), (200, 2), (400, 1)].into_iter().collect();
        assert_eq!(nearest_rank(&counts, 4, 0.25), Some(100));
        assert_eq!(nearest_rank(&counts, 4, 0.5), Some(200));
        assert_eq!(nearest_rank(&counts, 4, 0.75), Some(200));
        assert_eq!(nearest_rank(&counts, 4, 1.0), Some(400));
        assert_eq!(nearest_rank(&BTreeMap::new(), 0, 0.5), None);
    }

    #[test]
    fn scores_are_counted_alike_in_the_table_and_the_map() {
        let scores = [-250, 0, 7, 7, 300, 1_023, 1_024, 1_024, 99_999, 300];
        let mut counts = ScoreCounts::default();
        let mut expected: BTreeMap<i64, u64> = BTreeMap::new();
        for score in scores {
            counts.add(score);
            *expected.entry(score).or_insert(0) += 1;
        }
        assert_eq!(counts.by_score(), expected);
        assert!(ScoreCounts::default().by_score().is_empty());
    }

    /// The stats of a made-up programme `n` of the Roadmap.
    fn made_up_stats(ruleset: &RuleSet, n: u32) -> ProgrammeStats {
        let tips = ruleset.tips().len() as u32;
        let tip = |k: u32| crate::ruleset::TipIndex::new((n * 7 + k * 13) % tips);
        ProgrammeStats {
            scores: (0..ruleset.sections().len() as i64)
                .map(|s| (s % 3 != 0).then_some((i64::from(n) * 37 + s * 111) % 1_500 - 100))
                .collect(),
            recommended: (0..n % 5).map(|k| (tip(k), (k % 4) as u8)).collect(),
            plan: (0..n % 7).map(|k| (tip(k + 1), k % 3 + 1)).collect(),
            focus: (0..n % 3).map(tip).collect(),
            cycle_two: Vec::new(),
            meta: BTreeMap::new(),
            answered: fixedbitset::FixedBitSet::new(),
        }
    }

    /// Tallies programmes `range` of a made-up cohort, every ninth one failed.
    fn made_up_tally(ruleset: &RuleSet, range: std::ops::Range<u32>) -> Tally {
        let mut tally = Tally::new(ruleset);
        for n in range {
            if n % 9 == 4 {
                let error = RowError::row("a number", format!("row {n} is wrong"));
                tally.add_failure(&format!("P{n}"), u64::from(n), &[error]);
            } else {
                tally.add_stats(ruleset, &made_up_stats(ruleset, n));
            }
        }
        tally
    }

    #[test]
    fn tallies_of_consecutive_parts_merge_into_the_tally_of_the_whole() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        // The summaries are compared: the tallies' scratch space differs.
        let summary = |tally: Tally| serde_json::to_string(&tally.finish(&ruleset, 0.1, 0));
        let whole = summary(made_up_tally(&ruleset, 0..400)).unwrap();
        for cut in [0, 1, 150, 399, 400] {
            let mut merged = made_up_tally(&ruleset, 0..cut);
            merged.merge(made_up_tally(&ruleset, cut..400));
            assert_eq!(summary(merged).unwrap(), whole, "cut at {cut}");
        }
    }

    #[test]
    fn merged_failures_keep_their_order_and_the_listing_limit() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let mut first = Tally::new(&ruleset);
        let mut second = Tally::new(&ruleset);
        let error = RowError::row("a number", "wrong");
        for row in 0..FAILURES_LISTED as u64 - 1 {
            first.add_failure("A", row, std::slice::from_ref(&error));
        }
        for row in 0..3 {
            second.add_failure("B", row, std::slice::from_ref(&error));
        }
        first.merge(second);
        assert_eq!(first.failed, FAILURES_LISTED as u64 + 2);
        assert_eq!(first.failures.len(), FAILURES_LISTED);
        assert_eq!(first.failures_not_listed, 2);
        let last = first.failures.last().unwrap();
        assert_eq!((last.programme.as_deref(), last.row), (Some("B"), 0));
    }

    #[test]
    fn rounding_and_ratios_are_safe() {
        assert_eq!(rounded(2.0 / 3.0, 2), 0.67);
        assert_eq!(ratio(1, 0), 0.0);
        assert_eq!(ratio(1, 4), 0.25);
    }
}
