//! Institution profiles (footnote 1 of the Roadmap: the stakeholders differ per
//! programme and institution): a small TOML file that renames, merges or removes
//! stakeholder roles, checked against a rule set and applied to plans and lanes.
//!
//! ```toml
//! name = "Hogeschool Voorbeeld"
//!
//! # Roles the institution does not have; their work leaves the lanes.
//! remove = ["ouders"]
//!
//! # Roles whose work another role does: no praktijkbureau, the directie does it.
//! [merge]
//! praktijkbureau = "directie_opleiding"
//!
//! # The institution's own names for roles.
//! [rename]
//! studentcoaches = "SLB'ers"
//!
//! # Other leads: a tip id, or a principle or factor id for all its tips.
//! [lead]
//! "toetsing.frequentie" = "examencommissie"
//! ```
//!
//! Top-level keys (`name`, `remove`) come before the tables, as TOML requires.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::LineColumn;
use crate::ruleset::{Fate, Roles};
use crate::ruleset::{RuleSet, StakeholderIndex, TipIndex};

/// A parsed institution profile, not yet checked against a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    file: String,
    text: String,
    content: ProfileFile,
}

/// The file's content, with the byte span of every value for error messages.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: Option<String>,
    #[serde(default)]
    remove: Vec<Spanned<String>>,
    #[serde(default)]
    merge: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    rename: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    lead: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// One problem in a profile, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileProblem {
    /// The file, as named when it was read.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ProfileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Why a profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be read.
    #[error("cannot read profile `{path}`: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML of the profile's shape, or names roles the rule set
    /// does not have; every problem found, in file order.
    #[error("{}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The problems, at least one.
        problems: Vec<ProfileProblem>,
    },
}

impl Profile {
    /// Reads and parses a profile file.
    pub fn read(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
            path: path.to_owned(),
            source,
        })?;
        Profile::parse(&path.display().to_string(), text)
    }

    /// Parses a profile's text; `file` names it in error messages.
    pub fn parse(file: &str, text: impl Into<String>) -> Result<Profile, ProfileError> {
        let text = text.into();
        match toml::from_str::<ProfileFile>(&text) {
            Ok(content) => Ok(Profile {
                file: file.to_owned(),
                text,
                content,
            }),
            Err(error) => {
                let offset = error.span().map_or(0, |span| span.start);
                let message = error.message().trim().to_owned();
                let problem = problem_at(file, &text, offset, message);
                Err(ProfileError::Invalid {
                    problems: vec![problem],
                })
            }
        }
    }

    /// The profile's text, as read; the rule set's content hash covers it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The profile's `name`, or else its file's name.
    pub fn name(&self) -> &str {
        self.content.name.as_deref().unwrap_or_else(|| {
            Path::new(&self.file)
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or(&self.file)
        })
    }

    /// Checks the profile against a rule set's stakeholders and returns the roles it
    /// leaves, or every problem found.
    pub fn resolve(&self, ruleset: &RuleSet) -> Result<Roles, ProfileError> {
        let mut check = Check {
            profile: self,
            ruleset,
            fates: ruleset
                .stakeholders()
                .iter()
                .map(|stakeholder| Fate::Keep(stakeholder.name.clone()))
                .collect(),
            problems: Vec::new(),
            leads: Vec::new(),
        };
        check.removals();
        check.merges();
        check.renames();
        check.leads();
        let Check {
            fates,
            mut problems,
            leads,
            ..
        } = check;
        if problems.is_empty() {
            return Ok(Roles::from_fates(
                ruleset,
                Some(self.name().to_owned()),
                &fates,
                &leads,
            ));
        }
        problems.sort_by_key(|problem| (problem.line, problem.column));
        Err(ProfileError::Invalid { problems })
    }

    fn problem(&self, span: std::ops::Range<usize>, message: String) -> ProfileProblem {
        problem_at(&self.file, &self.text, span.start, message)
    }
}

impl RuleSet {
    /// Reports plans in the roles of an institution profile, in place of the rule set's
    /// own stakeholders. Only while the rule set is built (`load`), which also adds the
    /// profile to the content hash. On error the rule set is unchanged.
    pub(crate) fn set_profile(&mut self, profile: &Profile) -> Result<(), ProfileError> {
        let roles = profile.resolve(self)?;
        self.planning.set_roles(roles);
        Ok(())
    }
}

fn problem_at(file: &str, text: &str, offset: usize, message: String) -> ProfileProblem {
    let LineColumn { line, column } = LineColumn::of(text, offset);
    ProfileProblem {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

/// The state of checking one profile against one rule set.
struct Check<'a> {
    profile: &'a Profile,
    ruleset: &'a RuleSet,
    fates: Vec<Fate>,
    problems: Vec<ProfileProblem>,
    /// Tips whose lead the profile changes; a section's entry comes first, so a tip's
    /// own entry, pushed later, wins.
    leads: Vec<(TipIndex, StakeholderIndex)>,
}

impl Check<'_> {
    fn leads(&mut self) {
        let mut entries: Vec<(bool, Vec<TipIndex>, StakeholderIndex)> = Vec::new();
        for (target, role) in &self.profile.content.lead {
            let Some(stakeholder) = self.role(role) else {
                continue;
            };
            match self.lead_targets(target) {
                Some((is_tip, tips)) => entries.push((is_tip, tips, stakeholder)),
                None => self.report(
                    target,
                    format!(
                        "unknown tip, principle or factor `{}`, expected an id of the rule set",
                        target.get_ref()
                    ),
                ),
            }
        }
        entries.sort_by_key(|(is_tip, _, _)| *is_tip);
        for (_, tips, stakeholder) in entries {
            self.leads
                .extend(tips.into_iter().map(|tip| (tip, stakeholder)));
        }
        self.leads.reverse();
    }

    /// The tips a `[lead]` key names: one tip, or every tip of a section.
    fn lead_targets(&self, target: &Spanned<String>) -> Option<(bool, Vec<TipIndex>)> {
        let id = target.get_ref();
        if let Some(tip) = self.ruleset.tip_index(id) {
            return Some((true, vec![tip]));
        }
        let section = self
            .ruleset
            .sections()
            .iter()
            .find(|section| section.id == *id)?;
        Some((false, section.tips.clone()))
    }

    fn removals(&mut self) {
        for role in &self.profile.content.remove {
            let Some(index) = self.role(role) else {
                continue;
            };
            if self.fate(index) == Some(&Fate::Remove) {
                self.report(
                    role,
                    format!("role `{}` is listed twice in `remove`", role.get_ref()),
                );
                continue;
            }
            self.set_fate(index, Fate::Remove);
        }
    }

    fn merges(&mut self) {
        let mut merges = Vec::new();
        for (from, to) in &self.profile.content.merge {
            let (Some(source), Some(target)) = (self.role(from), self.role(to)) else {
                continue;
            };
            if source == target {
                self.report(
                    from,
                    format!(
                        "role `{}` cannot merge into itself; expected another role",
                        from.get_ref()
                    ),
                );
            } else if self.fate(source) == Some(&Fate::Remove) {
                self.report(
                    from,
                    format!(
                        "role `{}` is both removed and merged; expected one of the two",
                        from.get_ref()
                    ),
                );
            } else if self.fate(target) == Some(&Fate::Remove) {
                self.report(to, format!("role `{}` is removed, so no role can merge into it; expected a role that stays", to.get_ref()));
            } else {
                merges.push((source, target, to));
            }
        }
        let sources: Vec<(StakeholderIndex, &Spanned<String>)> =
            merges.iter().map(|&(source, _, to)| (source, to)).collect();
        for &(source, target, to) in &merges {
            match sources.iter().find(|(other, _)| *other == target) {
                Some((_, onward)) => {
                    let onward = onward.get_ref();
                    self.report(to, format!("role `{}` is itself merged into `{onward}`; expected a role that stays (merge into `{onward}` directly)", to.get_ref()));
                }
                None => self.set_fate(source, Fate::MergeInto(target)),
            }
        }
    }

    fn renames(&mut self) {
        for (role, name) in &self.profile.content.rename {
            let Some(index) = self.role(role) else {
                continue;
            };
            if name.get_ref().trim().is_empty() {
                self.report(
                    name,
                    format!(
                        "the new name of `{}` is empty; expected a display name",
                        role.get_ref()
                    ),
                );
                continue;
            }
            match self.fate(index) {
                Some(Fate::Keep(_)) => self.set_fate(index, Fate::Keep(name.get_ref().clone())),
                _ => self.report(role, format!("role `{}` is removed or merged, so it cannot be renamed; expected a role that stays", role.get_ref())),
            }
        }
    }

    /// The stakeholder a role id names, or a problem at the id.
    fn role(&mut self, id: &Spanned<String>) -> Option<StakeholderIndex> {
        let stakeholders = self.ruleset.stakeholders();
        let found = StakeholderIndex::enumerate(stakeholders)
            .find(|(_, stakeholder)| stakeholder.id == *id.get_ref())
            .map(|(index, _)| index);
        if found.is_none() {
            let suggestion = crate::diagnostic::did_you_mean(
                id.get_ref(),
                stakeholders
                    .iter()
                    .map(|stakeholder| stakeholder.id.as_str()),
            );
            self.report(
                id,
                format!(
                    "unknown role `{}`, expected a stakeholder id of the rule set{suggestion}",
                    id.get_ref()
                ),
            );
        }
        found
    }

    fn fate(&self, stakeholder: StakeholderIndex) -> Option<&Fate> {
        self.fates.get(stakeholder.index())
    }

    fn set_fate(&mut self, stakeholder: StakeholderIndex, fate: Fate) {
        if let Some(slot) = self.fates.get_mut(stakeholder.index()) {
            *slot = fate;
        }
    }

    fn report(&mut self, at: &Spanned<String>, message: String) {
        self.problems.push(self.profile.problem(at.span(), message));
    }
}
