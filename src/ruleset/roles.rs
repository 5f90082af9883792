//! The stakeholder roles plans are reported in: the rule set's own roles, or the roles
//! an institution profile leaves after renaming, merging and removing some.

use super::{RuleSet, SectionIndex, Stakeholder, StakeholderIndex, TipIndex};

dense_id! {
    /// Index of a role in [`Roles::all`].
    RoleIndex
}

/// What a profile does with one stakeholder of the rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fate {
    /// The role stays, under this display name.
    Keep(String),
    /// Its work goes to another stakeholder, which is kept.
    MergeInto(StakeholderIndex),
    /// The role does not exist at the institution; its work leaves the plan's lanes.
    Remove,
}

/// The roles in use and how the rule set's stakeholders map onto them.
///
/// Tips inherit the roles of their section: a section's stakeholders mapped through the
/// profile, in the document's order, without duplicates (two merged roles count once).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roles {
    profile: Option<String>,
    roles: Vec<Stakeholder>,
    role_of: Vec<Option<RoleIndex>>,
    section_roles: Vec<Vec<RoleIndex>>,
    tip_section: Vec<SectionIndex>,
    tip_lead: Vec<Option<RoleIndex>>,
}

impl Roles {
    /// The rule set's own stakeholders, one role each.
    pub(crate) fn identity(ruleset: &RuleSet) -> Roles {
        let fates: Vec<Fate> = ruleset
            .stakeholders()
            .iter()
            .map(|stakeholder| Fate::Keep(stakeholder.name.clone()))
            .collect();
        Roles::from_fates(ruleset, None, &fates, &[])
    }

    /// The roles left by one fate per stakeholder. A merge must point at a kept role;
    /// one that does not (the profile check rejects it first) is treated as a removal.
    /// `leads` overrides the lead stakeholder of some tips.
    pub(crate) fn from_fates(
        ruleset: &RuleSet,
        profile: Option<String>,
        fates: &[Fate],
        leads: &[(TipIndex, StakeholderIndex)],
    ) -> Roles {
        let mut roles = Vec::new();
        let mut role_of: Vec<Option<RoleIndex>> = vec![None; fates.len()];
        for ((slot, fate), stakeholder) in role_of.iter_mut().zip(fates).zip(ruleset.stakeholders())
        {
            if let Fate::Keep(name) = fate {
                *slot = RoleIndex::from_position(roles.len());
                roles.push(Stakeholder {
                    id: stakeholder.id.clone(),
                    name: name.clone(),
                });
            }
        }
        let merged: Vec<Option<RoleIndex>> = fates
            .iter()
            .zip(&role_of)
            .map(|(fate, &own)| match fate {
                Fate::Keep(_) => own,
                Fate::MergeInto(target) => role_of.get(target.index()).copied().flatten(),
                Fate::Remove => None,
            })
            .collect();
        let section_roles = ruleset
            .sections()
            .iter()
            .map(|section| distinct_roles(&merged, &section.stakeholders))
            .collect();
        let tip_lead = TipIndex::enumerate(ruleset.tips())
            .map(|(index, tip)| {
                let overridden = leads.iter().find(|(tip, _)| *tip == index);
                let lead = overridden.map(|&(_, lead)| lead).or(tip.lead)?;
                merged.get(lead.index()).copied().flatten()
            })
            .collect();
        Roles {
            profile,
            roles,
            role_of: merged,
            section_roles,
            tip_section: ruleset.tips().iter().map(|tip| tip.section).collect(),
            tip_lead,
        }
    }

    /// The name of the institution profile applied, if any.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// Every role, in the rule set's declaration order; the index is the [`RoleIndex`].
    pub fn all(&self) -> &[Stakeholder] {
        &self.roles
    }

    /// The role at an index.
    pub fn get(&self, role: RoleIndex) -> Option<&Stakeholder> {
        self.roles.get(role.index())
    }

    /// The index of the role with this id.
    pub fn index_of(&self, id: &str) -> Option<RoleIndex> {
        RoleIndex::enumerate(&self.roles)
            .find(|(_, role)| role.id == id)
            .map(|(index, _)| index)
    }

    /// The role a stakeholder of the rule set maps to; `None` when the profile removes it.
    pub fn of_stakeholder(&self, stakeholder: StakeholderIndex) -> Option<RoleIndex> {
        self.role_of.get(stakeholder.index()).copied().flatten()
    }

    /// The roles of a section, in the document's order.
    pub fn of_section(&self, section: SectionIndex) -> &[RoleIndex] {
        self.section_roles
            .get(section.index())
            .map_or(&[], Vec::as_slice)
    }

    /// The roles of a tip: those of its section.
    pub fn of_tip(&self, tip: TipIndex) -> &[RoleIndex] {
        self.tip_section
            .get(tip.index())
            .map_or(&[], |&section| self.of_section(section))
    }

    /// The role that leads a tip; `None` when the rules name no lead or the profile
    /// removes it.
    pub fn lead_of(&self, tip: TipIndex) -> Option<RoleIndex> {
        self.tip_lead.get(tip.index()).copied().flatten()
    }

    /// The ids of some roles.
    pub fn ids(&self, roles: &[RoleIndex]) -> Vec<String> {
        roles
            .iter()
            .filter_map(|&role| self.get(role))
            .map(|role| role.id.clone())
            .collect()
    }
}

/// The roles of a list of stakeholders, first occurrence first, removed ones left out.
fn distinct_roles(
    role_of: &[Option<RoleIndex>],
    stakeholders: &[StakeholderIndex],
) -> Vec<RoleIndex> {
    let mut roles = Vec::with_capacity(stakeholders.len());
    for &stakeholder in stakeholders {
        if let Some(role) = role_of.get(stakeholder.index()).copied().flatten() {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    roles
}
