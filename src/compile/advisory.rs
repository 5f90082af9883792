//! What turns rules into advice: each section's quick-scan question, each tip's lead and
//! the conditions under which a tip can apply, resolved and checked against the catalogue.

use std::sync::Arc;

use super::catalogue::{is_numeric, kind_word};
use super::lower::{Scope, Type};
use super::{Builder, Declarations};
use crate::diagnostic::SourceFile;
use crate::ruleset::{Applicability, RuleIndex, RuleKind, SectionIndex, StakeholderIndex};
use crate::syntax::ast::{self, Name};

impl Builder {
    pub(super) fn build_advisory(&mut self, declarations: &Declarations<'_>) {
        let mut section_applies: Vec<Vec<Applicability>> =
            vec![Vec::new(); self.ruleset.sections.len()];
        let mut section_leads: Vec<Option<StakeholderIndex>> =
            vec![None; self.ruleset.sections.len()];
        for (file, decl) in &declarations.sections {
            let Some(section) = self.tables.sections.get(&decl.id.text) else {
                continue;
            };
            self.link_quickscan(file, section, decl);
            let lead = decl
                .lead
                .as_ref()
                .and_then(|lead| self.resolve_lead(file, section, lead));
            if let Some(slot) = section_leads.get_mut(section.index()) {
                *slot = lead;
            }
            let applies = self.lower_applies(file, &decl.applies);
            if let Some(slot) = section_applies.get_mut(section.index()) {
                *slot = applies;
            }
        }
        for (file, decl) in &declarations.tips {
            let Some(tip) = self.tables.tips.get(&decl.id.text) else {
                continue;
            };
            let Some(section) = self.ruleset.tips.get(tip.index()).map(|tip| tip.section) else {
                continue;
            };
            let own_lead = decl
                .lead
                .as_ref()
                .and_then(|lead| self.resolve_lead(file, section, lead));
            let mut applies = section_applies
                .get(section.index())
                .cloned()
                .unwrap_or_default();
            applies.extend(self.lower_applies(file, &decl.applies));
            let section_lead = section_leads.get(section.index()).copied().flatten();
            if let Some(tip) = self.ruleset.tips.get_mut(tip.index()) {
                tip.lead = own_lead.or(section_lead);
                tip.applies = applies;
            }
        }
    }

    /// Resolves a section's `quickscan` line to a numeric question.
    fn link_quickscan(
        &mut self,
        file: &Arc<SourceFile>,
        section: SectionIndex,
        decl: &ast::SectionDecl,
    ) {
        let Some(name) = &decl.quickscan else {
            return;
        };
        let Some(question) = self
            .tables
            .questions
            .resolve(file, name, &mut self.diagnostics)
        else {
            return;
        };
        let numeric = self
            .ruleset
            .questions
            .get(question.index())
            .is_some_and(|question| is_numeric(&question.kind));
        if !numeric {
            let message = format!(
                "the quick-scan question of {} `{}` must take a number",
                kind_word(decl.kind),
                decl.id.text
            );
            self.type_error(file, name.span.clone(), message);
            return;
        }
        if let Some(section) = self.ruleset.sections.get_mut(section.index()) {
            section.quickscan = Some(question);
        }
    }

    /// Resolves a `lead` role, which must be one of the section's stakeholders.
    fn resolve_lead(
        &mut self,
        file: &Arc<SourceFile>,
        section: SectionIndex,
        lead: &Name,
    ) -> Option<StakeholderIndex> {
        let role = self
            .tables
            .stakeholders
            .resolve(file, lead, &mut self.diagnostics)?;
        let section = self.ruleset.sections.get(section.index())?;
        if section.stakeholders.contains(&role) {
            return Some(role);
        }
        let message = format!(
            "`{}` leads a tip of `{}`, but is not among its stakeholders",
            lead.text, section.id
        );
        let help = format!(
            "choose one of the stakeholders of `{}`, or add `{}` to them",
            section.id, lead.text
        );
        self.invalid(file, lead.span.clone(), message, help);
        None
    }

    /// Lowers `applies when ... because "..."` conditions.
    fn lower_applies(
        &mut self,
        file: &Arc<SourceFile>,
        conditions: &[ast::Applies],
    ) -> Vec<Applicability> {
        conditions
            .iter()
            .filter_map(|condition| {
                let mut scope = Scope {
                    file,
                    reads: Vec::new(),
                    placeholders: None,
                };
                let when = self.lower_as(
                    &mut scope,
                    &condition.when,
                    Type::Bool,
                    "an `applies` condition",
                );
                self.trace_root(when);
                let when = when?;
                let mut reads = scope.reads;
                reads.sort_unstable();
                reads.dedup();
                Some(Applicability {
                    because: condition.because.value.clone(),
                    reads,
                    when,
                })
            })
            .collect()
    }

    /// Points every tip at the rule with its own id, if there is one.
    pub(super) fn link_base_rules(&mut self) {
        for (index, rule) in RuleIndex::enumerate(&self.ruleset.rules) {
            let Some(&tip) = self.ruleset.tip_lookup.get(&rule.id) else {
                continue;
            };
            if rule.kind != RuleKind::Recommend || !rule.recommend.contains(&tip) {
                continue;
            }
            if let Some(tip) = self.ruleset.tips.get_mut(tip.index()) {
                tip.base_rule.get_or_insert(index);
            }
        }
    }
}
