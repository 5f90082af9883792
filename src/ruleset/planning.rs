//! What the planner needs from a rule set, computed once at compile time so that
//! planning one programme builds no graph: both directions of the dependency edges as
//! flat adjacency lists, each tip's section, and the size and limits of a cycle; and the
//! few tables the advice reads per programme (the order of the tips to establish, the
//! tips that can be open at all, each section's tip questions).

use super::roles::Roles;
use super::{
    Horizon, HorizonLevel, QuestionIndex, RuleIndex, RuleSet, SectionIndex, Tip, TipIndex,
};

/// The number of focus tips when the rules declare no `focus` param.
pub const DEFAULT_FOCUS: usize = 3;

/// How many tips of one principle or factor, and how many led by one role, a cycle
/// takes when the rules declare no `focus_per_section` or `focus_per_lead` param.
pub const DEFAULT_PER_CYCLE_LIMIT: usize = 1;

/// The horizon rank of a tip whose section gives no horizon: after `lang`.
const NOT_GIVEN_RANK: u8 = 3;

/// Adjacency lists in one flat array ("compressed sparse rows"): the neighbours of tip
/// `t` are `targets[starts[t]..starts[t + 1]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Adjacency {
    starts: Vec<u32>,
    targets: Vec<TipIndex>,
}

impl Adjacency {
    /// Builds the lists from `(tip, neighbour)` pairs; neighbours keep the pairs' order.
    fn from_pairs(tip_count: usize, pairs: &[(TipIndex, TipIndex)]) -> Adjacency {
        let mut counts = vec![0u32; tip_count + 1];
        for &(tip, _) in pairs {
            if let Some(count) = counts.get_mut(tip.index() + 1) {
                *count += 1;
            }
        }
        let mut running = 0;
        for count in &mut counts {
            running += *count;
            *count = running;
        }
        let mut next = counts.clone();
        let mut targets = vec![TipIndex::new(0); pairs.len()];
        for &(tip, neighbour) in pairs {
            let Some(cursor) = next.get_mut(tip.index()) else {
                continue;
            };
            if let Some(slot) = targets.get_mut(*cursor as usize) {
                *slot = neighbour;
            }
            *cursor += 1;
        }
        Adjacency {
            starts: counts,
            targets,
        }
    }

    /// The neighbours of a tip; empty for an index out of range.
    pub(crate) fn of(&self, tip: TipIndex) -> &[TipIndex] {
        let tip = tip.index();
        let (Some(&start), Some(&end)) = (self.starts.get(tip), self.starts.get(tip + 1)) else {
            return &[];
        };
        self.targets
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// The tips that have prerequisites, in topological order, each with its prerequisites
/// (its `after` list, as written) in one flat list: what the planner walks backwards to
/// pull prerequisites in and forwards to layer, reading both in sequence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DependentTips {
    /// The tips, in topological order, with the range of their prerequisites.
    entries: Vec<DependentTip>,
    /// The prerequisites of every entry, entry after entry.
    prerequisites: Vec<TipIndex>,
}

/// A tip with prerequisites, and where they stand in [`DependentTips`]' flat list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DependentTip {
    /// The tip.
    pub tip: TipIndex,
    start: u32,
    end: u32,
}

impl DependentTips {
    /// Lists `order`'s tips that have prerequisites, in that order, with `adjacency`'s
    /// prerequisites of each.
    fn new(order: &[TipIndex], adjacency: &Adjacency) -> DependentTips {
        let mut tips = DependentTips::default();
        for &tip in order {
            let prerequisites = adjacency.of(tip);
            if prerequisites.is_empty() {
                continue;
            }
            let start = tips.prerequisites.len() as u32;
            tips.prerequisites.extend_from_slice(prerequisites);
            let end = tips.prerequisites.len() as u32;
            tips.entries.push(DependentTip { tip, start, end });
        }
        tips
    }

    /// How many tips have prerequisites.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many prerequisites they list together: the dependency edges.
    pub(crate) fn edge_count(&self) -> usize {
        self.prerequisites.len()
    }

    /// Each tip with prerequisites and its prerequisites, in topological order (or, from
    /// the back, dependents first).
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (TipIndex, &[TipIndex])> {
        self.entries.iter().map(|entry| {
            let range = entry.start as usize..entry.end as usize;
            let prerequisites = self.prerequisites.get(range).unwrap_or_default();
            (entry.tip, prerequisites)
        })
    }

    /// The tips with prerequisites, in topological order, each with the place of its
    /// prerequisites: a walk that skips most tips reads [`DependentTips::prerequisites_of`]
    /// only for the tips it keeps.
    pub(crate) fn entries(&self) -> &[DependentTip] {
        &self.entries
    }

    /// The prerequisites of one of [`DependentTips::entries`].
    pub(crate) fn prerequisites_of(&self, entry: &DependentTip) -> &[TipIndex] {
        self.prerequisites
            .get(entry.start as usize..entry.end as usize)
            .unwrap_or_default()
    }

    /// The tips with prerequisites, in topological order.
    #[cfg(test)]
    pub(crate) fn tips(&self) -> impl DoubleEndedIterator<Item = TipIndex> + '_ {
        self.entries.iter().map(|entry| entry.tip)
    }
}

/// Where a cycle counts a tip against its limits, in one array of counts that holds a
/// slot per section and then one per role, and whether the tip has prerequisites: what
/// a cycle reads to decide whether it can take the tip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CycleSlots {
    /// The slot of the tip's section.
    pub section: u32,
    /// The slot of the tip's lead; [`CycleSlots::NO_LEAD`] when it has none.
    pub lead: u32,
    /// Whether the tip lists prerequisites (in the plan or not).
    pub has_prerequisites: bool,
}

impl CycleSlots {
    /// The lead slot of a tip without a lead: no slot.
    pub(crate) const NO_LEAD: u32 = u32::MAX;

    /// Every tip's slots, for these sections and roles.
    fn of_tips(
        section: &[SectionIndex],
        section_count: usize,
        roles: &Roles,
        prerequisites: &Adjacency,
    ) -> Vec<CycleSlots> {
        TipIndex::enumerate(section)
            .map(|(tip, &section)| CycleSlots {
                section: section.index() as u32,
                lead: roles.lead_of(tip).map_or(CycleSlots::NO_LEAD, |lead| {
                    (section_count + lead.index()) as u32
                }),
                has_prerequisites: !prerequisites.of(tip).is_empty(),
            })
            .collect()
    }
}

/// Per tip, its place when the tips are ordered those more tips build on first, then
/// in document order.
fn foundation_rank(tips: &[Tip]) -> Vec<u32> {
    let mut order: Vec<(TipIndex, u32)> = TipIndex::enumerate(tips)
        .map(|(index, tip)| (index, tip.fundament))
        .collect();
    order.sort_by_key(|&(index, fundament)| (std::cmp::Reverse(fundament), index));
    let mut rank = vec![0; tips.len()];
    for (place, (index, _)) in (0_u32..).zip(order) {
        if let Some(slot) = rank.get_mut(index.index()) {
            *slot = place;
        }
    }
    rank
}

/// Per section, the questions its tips are asked by (each tip's maturity question, in
/// the section's tip order), in one flat list: a section's coverage reads these alone,
/// not every tip of the section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SectionQuestions {
    starts: Vec<u32>,
    questions: Vec<QuestionIndex>,
}

impl SectionQuestions {
    fn new(ruleset: &RuleSet) -> SectionQuestions {
        let mut table = SectionQuestions {
            starts: Vec::with_capacity(ruleset.sections().len() + 1),
            questions: Vec::new(),
        };
        table.starts.push(0);
        for section in ruleset.sections() {
            table.questions.extend(
                section
                    .tips
                    .iter()
                    .filter_map(|&tip| ruleset.tip(tip)?.maturity_question),
            );
            table.starts.push(narrow(table.questions.len()));
        }
        table
    }

    /// The tip questions of section `section` (its position); empty past the last.
    pub(crate) fn of(&self, section: usize) -> &[QuestionIndex] {
        let (Some(&start), Some(&end)) = (self.starts.get(section), self.starts.get(section + 1))
        else {
            return &[];
        };
        self.questions
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// A length or position of a compiled table as `u32` (compilation bounds the
/// declarations far below it).
fn narrow(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The tips whose status can be to establish or not applicable, a bit per tip (as the
/// evaluation's tip sets hold them): those with a base rule whose condition can be
/// unknown (the program knows the rules whose condition never is), with `applies`
/// conditions (which can be false), or in a section with a quick scan (which can stand
/// in for an unanswered question). A tip with none of these is recommended or clear, so
/// an advice need not read its status to find the open tips.
fn may_be_open(ruleset: &RuleSet) -> Vec<usize> {
    const BITS: usize = usize::BITS as usize;
    let known = &ruleset.program.known_whens;
    let never_unknown = |rule: RuleIndex| {
        let (word, bit) = (rule.index() / BITS, rule.index() % BITS);
        known.get(word).is_some_and(|word| word & (1 << bit) != 0)
    };
    let tips = ruleset.tips();
    let mut words = vec![0; tips.len().div_ceil(BITS)];
    for (index, tip) in tips.iter().enumerate() {
        let quick_scanned = ruleset
            .section_of(tip)
            .is_some_and(|section| section.quickscan.is_some());
        let unknown_base = tip.base_rule.is_some_and(|rule| !never_unknown(rule));
        let open = unknown_base || !tip.applies.is_empty() || quick_scanned;
        if let (true, Some(word)) = (open, words.get_mut(index / BITS)) {
            *word |= 1 << (index % BITS);
        }
    }
    words
}

/// The planner's precomputed view of a rule set.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PlanTables {
    /// Per tip, its prerequisites (the `after` list, as written).
    pub prerequisites: Adjacency,
    /// Per tip, the tips that list it in `after`, in catalogue order.
    pub dependents: Adjacency,
    /// The tips that have prerequisites, in topological order, with their
    /// prerequisites: the only tips that can pull a tip in or start after phase 1.
    pub dependent_order: DependentTips,
    /// How many tips the rule set has.
    pub tip_count: usize,
    /// Per tip, its principle or factor.
    pub section: Vec<SectionIndex>,
    /// How many principles and factors the rule set has.
    pub section_count: usize,
    /// How many tips a cycle takes (the `focus` param).
    pub focus: usize,
    /// Whether every tip has a lead in `roles`, so that the limit per lead bounds a
    /// cycle. Set with the roles.
    every_tip_led: bool,
    /// How many tips of one principle or factor a cycle takes (`focus_per_section`).
    pub per_section: usize,
    /// How many tips led by one role a cycle takes (`focus_per_lead`).
    pub per_lead: usize,
    /// The stakeholder roles plans are reported in: the rule set's, or an institution
    /// profile's. Set with [`PlanTables::set_roles`], which keeps `cycle_slots` in step.
    pub roles: Roles,
    /// Per tip, where a cycle counts it against its limits (a slot per section, then per
    /// role of `roles`) and whether it has prerequisites.
    pub cycle_slots: Vec<CycleSlots>,
    /// Per tip, whether it is another tip's prerequisite.
    is_prerequisite: Vec<bool>,
    /// Per tip, its place when the tips are ordered those more tips build on first,
    /// then in document order: the order of an advice's tips to establish.
    foundation_rank: Vec<u32>,
    /// The tips whose status can be to establish or not applicable, a bit per tip.
    may_be_open: Vec<usize>,
    /// Per section, its tips' questions.
    section_questions: SectionQuestions,
}

impl PlanTables {
    /// Precomputes the tables of a compiled rule set whose tips, sections and params are
    /// final.
    pub(crate) fn new(ruleset: &RuleSet) -> PlanTables {
        let tips = ruleset.tips();
        let mut prerequisite_pairs = Vec::new();
        let mut dependent_pairs = Vec::new();
        for (tip, decl) in TipIndex::enumerate(tips) {
            for &prerequisite in &decl.after {
                prerequisite_pairs.push((tip, prerequisite));
                dependent_pairs.push((prerequisite, tip));
            }
        }
        dependent_pairs.sort_unstable();
        let prerequisites = Adjacency::from_pairs(tips.len(), &prerequisite_pairs);
        let dependents = Adjacency::from_pairs(tips.len(), &dependent_pairs);
        let is_prerequisite = TipIndex::all(tips.len())
            .map(|tip| !dependents.of(tip).is_empty())
            .collect();
        let mut tables = PlanTables {
            dependent_order: DependentTips::new(ruleset.topological_order(), &prerequisites),
            prerequisites,
            dependents,
            tip_count: tips.len(),
            section: tips.iter().map(|tip| tip.section).collect(),
            section_count: ruleset.sections().len(),
            focus: whole_param(ruleset, "focus").unwrap_or(DEFAULT_FOCUS),
            per_section: whole_param(ruleset, "focus_per_section")
                .unwrap_or(DEFAULT_PER_CYCLE_LIMIT),
            per_lead: whole_param(ruleset, "focus_per_lead").unwrap_or(DEFAULT_PER_CYCLE_LIMIT),
            every_tip_led: false,
            roles: Roles::default(),
            cycle_slots: Vec::new(),
            is_prerequisite,
            foundation_rank: foundation_rank(tips),
            may_be_open: may_be_open(ruleset),
            section_questions: SectionQuestions::new(ruleset),
        };
        tables.set_roles(Roles::identity(ruleset));
        tables
    }

    /// Per tip, its place when the tips are ordered those more tips build on
    /// ([`Tip::fundament`]) first, then in document order.
    pub(crate) fn foundation_rank(&self) -> &[u32] {
        &self.foundation_rank
    }

    /// The tips whose status can be to establish or not applicable, a bit per tip in
    /// the words of the evaluation's tip sets: a tip outside it is recommended or clear.
    pub(crate) fn may_be_open(&self) -> &[usize] {
        &self.may_be_open
    }

    /// The questions the tips of section `section` (its position) are asked by.
    pub(crate) fn section_questions(&self, section: usize) -> &[QuestionIndex] {
        self.section_questions.of(section)
    }

    /// Reports plans in these roles, and counts the cycles' limits per lead in them.
    pub(crate) fn set_roles(&mut self, roles: Roles) {
        self.roles = roles;
        self.cycle_slots = CycleSlots::of_tips(
            &self.section,
            self.section_count,
            &self.roles,
            &self.prerequisites,
        );
        self.every_tip_led = self
            .cycle_slots
            .iter()
            .all(|slots| slots.lead != CycleSlots::NO_LEAD);
    }

    /// How many tips a cycle can take at most: no more than `focus`, than `per_section`
    /// from each section, and, when every tip has a lead, than `per_lead` led by each
    /// role (a tip without a lead counts against no role's limit). A cycle that holds
    /// this many is full whatever tips are left.
    pub(crate) fn cycle_capacity(&self) -> usize {
        let by_section = self.per_section.saturating_mul(self.section_count);
        let by_lead = match self.every_tip_led {
            true => self.per_lead.saturating_mul(self.roles.all().len()),
            false => usize::MAX,
        };
        self.focus.min(by_section).min(by_lead)
    }

    /// Whether a tip lists prerequisites; false past the last tip.
    pub(crate) fn has_prerequisites(&self, tip: TipIndex) -> bool {
        self.cycle_slots
            .get(tip.index())
            .is_some_and(|slots| slots.has_prerequisites)
    }

    /// Whether a tip is another tip's prerequisite; false past the last tip.
    pub(crate) fn has_dependents(&self, tip: TipIndex) -> bool {
        self.is_prerequisite
            .get(tip.index())
            .copied()
            .unwrap_or(false)
    }

    /// How many slots a cycle's counts need: one per section and one per role.
    pub(crate) fn cycle_slot_count(&self) -> usize {
        self.section_count + self.roles.all().len()
    }
}

/// The rank by which a horizon orders tips within a phase: `kort` 0, `midden` 1, `lang`
/// 2; a range counts by its start (`kort-midden` ranks as `kort`); a horizon the document
/// does not give ranks 3, after `lang`, so tips whose timing the document states come
/// before those it leaves open.
pub fn horizon_rank(horizon: Horizon) -> u8 {
    match horizon {
        Horizon::Range { from, .. } => match from {
            HorizonLevel::Kort => 0,
            HorizonLevel::Midden => 1,
            HorizonLevel::Lang => 2,
        },
        Horizon::NotGiven => NOT_GIVEN_RANK,
    }
}

/// A param rounded to a whole number, 0 when negative; `None` when the rules declare no
/// such param.
fn whole_param(ruleset: &RuleSet, name: &str) -> Option<usize> {
    let param = ruleset.params().iter().find(|param| param.id == name)?;
    // A float-to-integer cast saturates, so no value can wrap around.
    Some(param.value.max(0.0).round() as usize)
}

#[cfg(test)]
mod tests {
    use crate::eval::{Answers, TipStatus};
    use crate::ruleset::{QuestionIndex, RuleSet, TipIndex};

    /// Three tips: one whose base rule can never be unknown, one whose base rule can,
    /// and one without a base rule.
    const RULES: &str = r#"
ruleset "open tips" version "1"
stakeholder s "Stakeholder"
principle x "Open tips" {
    number 1
    horizon kort
    stakeholders s
}
scale level 0..4 { 0 "0" 1 "1" 2 "2" 3 "3" 4 "4" }
question q1: level "q1"
question q2: level "q2"
tip x.known { text "known" }
tip x.unknown { text "unknown" }
tip x.free { text "free" }
rule x.known {
    when coalesce(q1 <= 1, no)
    recommend x.known
    because "known"
}
rule x.unknown {
    when q2 <= 1
    recommend x.unknown
    because "unknown"
}
rule x.free_reason {
    when coalesce(q1 <= 0, no) or coalesce(q2 <= 0, no)
    recommend x.free
    because "free"
}
"#;

    fn open(ruleset: &RuleSet, tip: usize) -> bool {
        let words = ruleset.planning.may_be_open();
        words
            .get(tip / usize::BITS as usize)
            .is_some_and(|word| word >> (tip % usize::BITS as usize) & 1 == 1)
    }

    #[test]
    fn only_a_tip_whose_status_can_be_open_is_in_may_be_open() {
        let options = crate::load::Options::default();
        let ruleset = RuleSet::from_sources([("open.rules", RULES)], &options)
            .unwrap()
            .into_ruleset();
        let ids: Vec<_> = ruleset.tips().iter().map(|tip| tip.id.as_str()).collect();
        assert_eq!(ids, ["x.known", "x.unknown", "x.free"]);
        assert_eq!(
            (0..3).map(|tip| open(&ruleset, tip)).collect::<Vec<_>>(),
            [false, true, false]
        );
        // The law the advice relies on: a tip outside the set is recommended or clear,
        // for every answer (NaN is a missing one).
        let values = [f64::NAN, 0.0, 1.0, 2.0, 4.0];
        let mut seen_open = false;
        for &q1 in &values {
            for &q2 in &values {
                let mut answers = Answers::unanswered(&ruleset);
                answers.set(QuestionIndex::new(0), q1);
                answers.set(QuestionIndex::new(1), q2);
                let evaluation = ruleset.evaluate(&answers);
                for (tip, status) in TipIndex::enumerate(evaluation.status()) {
                    let settled = matches!(status, TipStatus::Recommended(_) | TipStatus::Clear);
                    assert!(
                        settled || open(&ruleset, tip.index()),
                        "{status:?} of {tip:?}"
                    );
                    seen_open |= !settled;
                }
            }
        }
        assert!(seen_open, "some answers leave x.unknown to establish");
    }

    #[test]
    fn a_cycle_holds_no_more_than_its_limits_allow_over_sections_and_roles() {
        let mut ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let tables = &mut ruleset.planning;
        let (sections, roles) = (tables.section_count, tables.roles.all().len());
        for (focus, per_section, per_lead) in [(3, 1, 1), (400, 1, 400), (400, 400, 1), (0, 5, 5)] {
            tables.focus = focus;
            tables.per_section = per_section;
            tables.per_lead = per_lead;
            let by_lead = match tables.every_tip_led {
                true => per_lead * roles,
                false => usize::MAX,
            };
            let expected = focus.min(per_section * sections).min(by_lead);
            assert_eq!(tables.cycle_capacity(), expected);
        }
    }
}
