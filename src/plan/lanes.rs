//! Who does what and where work changes hands: the focus of a plan, a lane per role
//! and the handoffs between roles.

use super::roles::RoleIndex;
use super::tables::HORIZON_RANKS;
use super::{Plan, PlanStep};
use crate::ruleset::{RuleSet, TipIndex};

/// One role's share of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The role, an index into [`super::Roles::all`].
    pub role: RoleIndex,
    /// The plan tips the role is involved in, in plan order; never empty.
    pub tips: Vec<TipIndex>,
}

/// A dependency edge of a plan whose two tips involve different roles: the roles of `to`
/// wait for `from`, which roles that are not all theirs carry out.
///
/// Two tips involve different roles when their sets of roles (after the institution
/// profile, in any order) are not equal. A tip whose section lists the same roles as its
/// prerequisite's section is no handoff, even when the work itself changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handoff {
    /// The prerequisite.
    pub from: TipIndex,
    /// The tip that waits for it.
    pub to: TipIndex,
}

/// The `count` highest-priority tips of phase 1, ties broken by horizon rank then id.
/// Phase 1 is already ordered by horizon rank, then priority, then id: one run per
/// horizon rank, each ordered as the focus wants it, so the focus is the first `count`
/// of a merge of those runs, where an equal priority goes to the earlier run.
pub(super) fn choose_focus(plan: &mut Plan, count: usize) {
    let Plan {
        steps,
        focus,
        bucket_ends,
        ..
    } = plan;
    focus.clear();
    let mut heads = [0u32; HORIZON_RANKS];
    let mut ends = [0u32; HORIZON_RANKS];
    let mut start = 0;
    let runs = heads
        .iter_mut()
        .zip(ends.iter_mut())
        .zip(bucket_ends.iter());
    for ((head, end), &bucket_end) in runs {
        (*head, *end) = (start, bucket_end);
        start = bucket_end;
    }
    while focus.len() < count {
        let Some(run) = best_head(steps, &heads, &ends) else {
            break;
        };
        let Some(head) = heads.get_mut(run) else {
            break;
        };
        if let Some(step) = steps.get(*head as usize) {
            focus.push(step.tip);
        }
        *head += 1;
    }
}

/// The run whose next tip has the highest priority; the earliest run on a tie.
fn best_head(steps: &[PlanStep], heads: &[u32], ends: &[u32]) -> Option<usize> {
    let mut best: Option<(u8, usize)> = None;
    for (run, (&head, &end)) in heads.iter().zip(ends).enumerate() {
        if head >= end {
            continue;
        }
        let Some(step) = steps.get(head as usize) else {
            continue;
        };
        if best.is_none_or(|(priority, _)| step.priority > priority) {
            best = Some((step.priority, run));
        }
    }
    best.map(|(_, run)| run)
}

impl Plan {
    /// One lane per role involved in the plan, in the roles' order; roles without a plan
    /// tip have none.
    pub fn lanes(&self, ruleset: &RuleSet) -> Vec<Lane> {
        let roles = ruleset.roles();
        let mut lanes: Vec<Lane> = (0..)
            .zip(roles.all())
            .map(|(role, _)| Lane {
                role,
                tips: Vec::new(),
            })
            .collect();
        for step in self.steps() {
            for &role in roles.of_tip(step.tip) {
                if let Some(lane) = lanes.get_mut(role as usize) {
                    lane.tips.push(step.tip);
                }
            }
        }
        lanes.retain(|lane| !lane.tips.is_empty());
        lanes
    }

    /// Every dependency edge of the plan whose two tips involve different roles, ordered
    /// by the plan position of the prerequisite, then of the tip that waits.
    pub fn handoffs(&self, ruleset: &RuleSet) -> Vec<Handoff> {
        let roles = ruleset.roles();
        let mut handoffs: Vec<Handoff> = self
            .edges(ruleset)
            .filter(|&(from, to)| roles.differ(from, to))
            .map(|(from, to)| Handoff { from, to })
            .collect();
        handoffs.sort_by_key(|handoff| (self.position(handoff.from), self.position(handoff.to)));
        handoffs
    }
}
