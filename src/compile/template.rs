//! Rule templates: the policy written once, instantiated as the base rule of every tip
//! in scope. A template's placeholders stand for the tip at hand:
//!
//! | placeholder | stands for |
//! |---|---|
//! | `$tip` | the tip's own maturity question |
//! | `$quickscan` | the quick-scan question of the tip's section |
//! | `$section` | the section's id, in globs: `avg($section.*)` |
//! | `$fundament` | how many tips build on this one (a number) |
//! | `$kort` | 1 when the section's horizon starts at `kort`, else 0 |
//!
//! A tip with a rule of its own id keeps that rule: an exception written out in full. A
//! template for named sections wins over a template `for *`.

use std::collections::HashSet;
use std::sync::Arc;

use super::fx::FxHashMap;

use super::reuse;
use super::rules::RuleView;
use super::symbols::Table;
use super::{Builder, Declarations};
use crate::diagnostic::SourceFile;
use crate::ruleset::{Horizon, HorizonLevel, QuestionIndex, RuleKind, SectionIndex, TipIndex};
use crate::syntax::ast::{self, Name, TemplateScope};

/// What the placeholders of a template mean for one tip. Lowering reads the template's
/// body through these values, so the body is never copied per tip.
pub(super) struct Placeholders {
    tip: Option<String>,
    quickscan: Option<String>,
    section: String,
    fundament: f64,
    kort: f64,
    /// The question `$quickscan` stands for, by index.
    quickscan_index: Option<QuestionIndex>,
    /// The section `$section` stands for, by index.
    section_index: SectionIndex,
}

/// A template with the sections it covers resolved.
struct Resolved<'a> {
    file: &'a Arc<SourceFile>,
    decl: &'a ast::TemplateDecl,
    /// `None` for `for *`.
    sections: Option<Vec<SectionIndex>>,
}

impl Builder {
    pub(super) fn build_templates(&mut self, declarations: &Declarations<'_>) {
        let templates = self.resolve_templates(declarations);
        let written_out: FxHashMap<&str, ()> = declarations
            .rules
            .iter()
            .map(|(_, decl)| (decl.id.text.as_str(), ()))
            .collect();
        let mut own_because: FxHashMap<&str, Option<&ast::Text>> = FxHashMap::default();
        own_because.reserve(declarations.tips.len());
        self.ruleset.rules.reserve(self.ruleset.tips.len());
        for (_, decl) in &declarations.tips {
            own_because
                .entry(decl.id.text.as_str())
                .or_insert(decl.because.as_ref());
        }
        for tip in TipIndex::all(self.ruleset.tips.len()) {
            let Some(id) = self.ruleset.tip(tip).map(|tip| tip.id.clone()) else {
                continue;
            };
            if written_out.contains_key(id.as_str()) {
                continue;
            }
            // Past a limit, writing out more rules only costs time and memory.
            if self.stopped() {
                break;
            }
            if let Some(template) = self.template_for(&templates, tip) {
                let because = own_because.get(id.as_str()).copied().flatten();
                self.instantiate(template, tip, because);
            }
        }
    }

    fn resolve_templates<'a>(&mut self, declarations: &Declarations<'a>) -> Vec<Resolved<'a>> {
        let mut names: Table = Table::new("template");
        let mut resolved = Vec::new();
        for (file, decl) in &declarations.templates {
            names.declare(file, &decl.id, &mut self.diagnostics);
            self.check_template_body(file, decl);
            let sections = match &decl.scope {
                TemplateScope::Every => None,
                TemplateScope::Sections(list) => Some(
                    list.iter()
                        .filter_map(|name| {
                            self.tables
                                .sections
                                .resolve(file, name, &mut self.diagnostics)
                        })
                        .collect(),
                ),
            };
            for expr in decl.body.when.iter().chain(&decl.body.priority) {
                self.reuse.note_template(expr);
            }
            resolved.push(Resolved {
                file,
                decl,
                sections,
            });
        }
        self.check_overlap(&resolved);
        resolved
    }

    fn check_template_body(&mut self, file: &Arc<SourceFile>, decl: &ast::TemplateDecl) {
        let stray = decl.body.recommend.first().or(decl.body.raise.first());
        if let Some(name) = stray {
            let message = format!(
                "template `{}` names tips; it writes the rule of every tip in its scope",
                decl.id.text
            );
            self.invalid(
                file,
                name.span.clone(),
                message,
                "remove `recommend`/`raise` here, or write a `rule` instead",
            );
        }
    }

    /// Two templates of the same specificity may not cover one section.
    fn check_overlap(&mut self, templates: &[Resolved<'_>]) {
        let mut every_seen = false;
        let mut covered: HashSet<SectionIndex> = HashSet::new();
        for template in templates {
            let clash = match &template.sections {
                None => std::mem::replace(&mut every_seen, true),
                Some(sections) => {
                    let fresh: Vec<bool> = sections
                        .iter()
                        .map(|&section| covered.insert(section))
                        .collect();
                    fresh.contains(&false)
                }
            };
            if clash {
                let message = format!(
                    "template `{}` covers tips another template already covers",
                    template.decl.id.text
                );
                self.invalid(
                    template.file,
                    template.decl.id.span.clone(),
                    message,
                    "give each principle or factor one template, and at most one template `for *`",
                );
            }
        }
    }

    fn template_for<'t, 'a>(
        &self,
        templates: &'t [Resolved<'a>],
        tip: TipIndex,
    ) -> Option<&'t Resolved<'a>> {
        let section = self.ruleset.tips.get(tip.index())?.section;
        let named = templates.iter().find(|template| {
            template
                .sections
                .as_ref()
                .is_some_and(|sections| sections.contains(&section))
        });
        named.or_else(|| {
            templates
                .iter()
                .find(|template| template.sections.is_none())
        })
    }

    /// Writes the base rule of one tip from its template: the template's body, read
    /// with this tip's placeholders; `because` is the tip's own explanation, if any.
    fn instantiate(&mut self, template: &Resolved<'_>, tip: TipIndex, because: Option<&ast::Text>) {
        let Some(values) = self.placeholders(tip) else {
            return;
        };
        let Some(tip_decl) = self.ruleset.tips.get(tip.index()) else {
            return;
        };
        let body = &template.decl.body;
        let tip_name = Name {
            text: tip_decl.id.clone(),
            span: template.decl.id.span.clone(),
        };
        let rule = RuleView {
            id: &tip_name,
            when: body.when.as_ref(),
            recommend: std::slice::from_ref(&tip_name),
            raise: &[],
            raise_by: None,
            priority: body.priority.as_ref(),
            because: because.or(body.because.as_ref()),
            span: &body.span,
            placeholders: Some(&values),
        };
        let mut compiled = self.build_rule(template.file, &rule);
        if let Some((file, name)) = self.tables.tips.declared_at(tip) {
            let (file, span) = (std::sync::Arc::clone(file), name.span.clone());
            self.relocate_rule(&file, &span);
        }
        compiled.template = Some(template.decl.id.text.clone());
        compiled.kind = RuleKind::Recommend;
        self.ruleset.rules.push(compiled);
    }

    fn placeholders(&self, tip: TipIndex) -> Option<Placeholders> {
        let tip = self.ruleset.tips.get(tip.index())?;
        let section = self.ruleset.sections.get(tip.section.index())?;
        let question_id = |question: Option<QuestionIndex>| {
            question
                .and_then(|question| self.ruleset.question(question))
                .map(|question| question.id.clone())
        };
        let kort = matches!(
            section.horizon,
            Horizon::Range {
                from: HorizonLevel::Kort,
                ..
            }
        );
        Some(Placeholders {
            tip: question_id(tip.maturity_question),
            quickscan: question_id(section.quickscan),
            section: section.id.clone(),
            fundament: f64::from(tip.fundament),
            kort: f64::from(u8::from(kort)),
            quickscan_index: section.quickscan,
            section_index: tip.section,
        })
    }
}

/// What a placeholder stands for in one tip's rule.
pub(super) enum Filled<'p> {
    /// A question, by its id.
    Name(&'p str),
    /// A number.
    Number(f64),
}

impl Placeholders {
    /// What the reference `name` stands for, if it is a placeholder with a value for this
    /// tip. A placeholder without one stays as written, so lowering reports it where the
    /// template writes it.
    pub(super) fn fill(&self, name: &str) -> Option<Filled<'_>> {
        match name {
            "$tip" => self.tip.as_deref().map(Filled::Name),
            "$quickscan" => self.quickscan.as_deref().map(Filled::Name),
            "$fundament" => Some(Filled::Number(self.fundament)),
            "$kort" => Some(Filled::Number(self.kort)),
            _ => None,
        }
    }

    /// The section id `$section` stands for, in a sub-expression's text.
    pub(super) fn section_of(&self, name: &str) -> Option<&str> {
        (name == "$section").then_some(self.section.as_str())
    }

    /// The key under which the sub-expression at address `at`, which mentions the
    /// placeholders `mentions` (bits of `reuse`), is kept for this tip: the values of
    /// those placeholders, zero for the others.
    pub(super) fn key(&self, at: usize, mentions: u8) -> reuse::Key {
        let mentioned = |bit: u8| mentions & bit != 0;
        let quickscan = match self.quickscan_index {
            Some(question) if mentioned(reuse::QUICKSCAN) => question.get(),
            None if mentioned(reuse::QUICKSCAN) => u32::MAX,
            _ => 0,
        };
        let section = if mentioned(reuse::SECTION) {
            self.section_index.get()
        } else {
            0
        };
        let number = |bit: u8, value: f64| if mentioned(bit) { value.to_bits() } else { 0 };
        (
            at,
            quickscan,
            section,
            number(reuse::FUNDAMENT, self.fundament),
            number(reuse::KORT, self.kort),
        )
    }

    /// The prefix the glob `$section.*` stands for.
    pub(super) fn glob(&self, prefix: &str) -> Option<&str> {
        (prefix == "$section").then_some(self.section.as_str())
    }
}
