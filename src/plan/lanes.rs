//! Who does what and where work changes hands: a lane per role, with the tips it leads
//! apart from those it is involved in, and the handoffs between leads.

use super::Plan;
use crate::ruleset::RoleIndex;
use crate::ruleset::{RuleSet, TipIndex};

/// One role's share of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The role, an index into [`super::Roles::all`].
    pub role: RoleIndex,
    /// The plan tips the role leads, in plan order.
    pub led: Vec<TipIndex>,
    /// The plan tips the role is involved in without leading them, in plan order.
    pub involved: Vec<TipIndex>,
}

/// A dependency edge of a plan whose two tips have different leads: the lead of `to`
/// waits for the lead of `from`. Edges where either tip has no lead are no handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handoff {
    /// The prerequisite.
    pub from: TipIndex,
    /// The tip that waits for it.
    pub to: TipIndex,
    /// The lead of the prerequisite.
    pub from_lead: RoleIndex,
    /// The lead of the tip that waits.
    pub to_lead: RoleIndex,
}

impl Plan {
    /// One lane per role that leads or is involved in a plan tip, in the roles' order.
    pub fn lanes(&self, ruleset: &RuleSet) -> Vec<Lane> {
        lanes_of(ruleset, self.steps().iter().map(|step| step.tip))
    }

    /// Every dependency edge of the plan whose two tips have different leads, ordered by
    /// the plan position of the prerequisite, then of the tip that waits.
    pub fn handoffs(&self, ruleset: &RuleSet) -> Vec<Handoff> {
        // Only the tips with prerequisites can wait for a lead, so the edges are found
        // from those few tips, not from every step.
        let roles = ruleset.roles();
        let dependent_order = &ruleset.planning.dependent_order;
        let mut handoffs = Vec::with_capacity(dependent_order.edge_count());
        for (to, prerequisites) in dependent_order.iter() {
            let Some(to_lead) = roles.lead_of(to).filter(|_| self.contains(to)) else {
                continue;
            };
            for &from in prerequisites {
                let Some(from_lead) = roles.lead_of(from).filter(|_| self.contains(from)) else {
                    continue;
                };
                if from_lead != to_lead {
                    handoffs.push(Handoff {
                        from,
                        to,
                        from_lead,
                        to_lead,
                    });
                }
            }
        }
        // Both tips of a handoff are in the plan, and no two edges have the same pair of
        // positions, so an unstable sort by the packed pair is the one order.
        let position = |tip: TipIndex| {
            self.positions
                .get(tip.index())
                .map_or(0, |&at| u64::from(at))
        };
        handoffs
            .sort_unstable_by_key(|handoff| position(handoff.from) << 32 | position(handoff.to));
        handoffs
    }
}

/// One lane per role that leads or is involved in one of `tips`, in the roles' order,
/// each listing its tips in the order of `tips`: the plan's lanes, and the lanes an
/// advice document's tips give back.
pub fn lanes_of(ruleset: &RuleSet, tips: impl IntoIterator<Item = TipIndex>) -> Vec<Lane> {
    let roles = ruleset.roles();
    let mut lanes: Vec<Lane> = RoleIndex::all(roles.all().len())
        .map(|role| Lane {
            role,
            led: Vec::new(),
            involved: Vec::new(),
        })
        .collect();
    for tip in tips {
        let lead = roles.lead_of(tip);
        if let Some(lane) = lead.and_then(|lead| lanes.get_mut(lead.index())) {
            lane.led.push(tip);
        }
        for &role in roles.of_tip(tip) {
            if Some(role) == lead {
                continue;
            }
            if let Some(lane) = lanes.get_mut(role.index()) {
                lane.involved.push(tip);
            }
        }
    }
    lanes.retain(|lane| !lane.led.is_empty() || !lane.involved.is_empty());
    lanes
}
