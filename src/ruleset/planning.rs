//! What the planner needs from a rule set, computed once at compile time so that
//! planning one programme builds no graph: both directions of the dependency edges as
//! flat adjacency lists, each tip's section, and the size and limits of a cycle.

use super::roles::Roles;
use super::{Horizon, HorizonLevel, RuleSet, SectionIndex, TipIndex};

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

/// The planner's precomputed view of a rule set.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PlanTables {
    /// Per tip, its prerequisites (the `after` list, as written).
    pub prerequisites: Adjacency,
    /// Per tip, the tips that list it in `after`, in catalogue order.
    pub dependents: Adjacency,
    /// The tips that have prerequisites, in topological order: the only ones that can
    /// pull a tip in or start after phase 1.
    pub dependent_order: Vec<TipIndex>,
    /// How many tips the rule set has.
    pub tip_count: usize,
    /// Per tip, its principle or factor.
    pub section: Vec<SectionIndex>,
    /// How many principles and factors the rule set has.
    pub section_count: usize,
    /// How many tips a cycle takes (the `focus` param).
    pub focus: usize,
    /// How many tips of one principle or factor a cycle takes (`focus_per_section`).
    pub per_section: usize,
    /// How many tips led by one role a cycle takes (`focus_per_lead`).
    pub per_lead: usize,
    /// The stakeholder roles plans are reported in: the rule set's, or an institution
    /// profile's.
    pub roles: Roles,
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
        PlanTables {
            prerequisites: Adjacency::from_pairs(tips.len(), &prerequisite_pairs),
            dependents: Adjacency::from_pairs(tips.len(), &dependent_pairs),
            dependent_order: ruleset
                .topological_order()
                .iter()
                .copied()
                .filter(|&tip| ruleset.tip(tip).is_some_and(|tip| !tip.after.is_empty()))
                .collect(),
            tip_count: tips.len(),
            section: tips.iter().map(|tip| tip.section).collect(),
            section_count: ruleset.sections().len(),
            focus: whole_param(ruleset, "focus").unwrap_or(DEFAULT_FOCUS),
            per_section: whole_param(ruleset, "focus_per_section")
                .unwrap_or(DEFAULT_PER_CYCLE_LIMIT),
            per_lead: whole_param(ruleset, "focus_per_lead").unwrap_or(DEFAULT_PER_CYCLE_LIMIT),
            roles: Roles::identity(ruleset),
        }
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
