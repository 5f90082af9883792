//! The catalogue and questionnaire: stakeholders, themes, principles and factors, tips,
//! scales, questions and params, checked and copied into the rule set.

use std::collections::HashSet;
use std::sync::Arc;

use super::symbols::Table;
use super::{Builder, Declarations, ParamOverride, MAX_CHOICE_OPTIONS};
use crate::diagnostic::{Diagnostic, DiagnosticKind, SourceFile};
use crate::ruleset::{
    ChoiceOption, Horizon, Param, Question, QuestionIndex, QuestionKind, RuleIndex, Scale, Section,
    SectionIndex, Stakeholder, StakeholderIndex, Theme, Tip, TipIndex,
};
use crate::syntax::ast::{self, HorizonSpec, Name, QuestionTypeSpec, SectionKind};

/// One symbol table per namespace.
pub(super) struct Tables {
    pub stakeholders: Table<StakeholderIndex>,
    pub themes: Table,
    pub sections: Table<SectionIndex>,
    pub tips: Table<TipIndex>,
    pub scales: Table,
    pub questions: Table<QuestionIndex>,
    pub params: Table,
    pub rules: Table<RuleIndex>,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            stakeholders: Table::new("stakeholder"),
            themes: Table::new("theme"),
            sections: Table::new("principle or factor"),
            tips: Table::new("tip"),
            scales: Table::new("scale"),
            questions: Table::new("question"),
            params: Table::new("param"),
            rules: Table::new("rule"),
        }
    }
}

impl Builder {
    pub(super) fn build_catalogue(&mut self, declarations: &Declarations<'_>) {
        self.reserve_catalogue(declarations);
        for (file, decl) in &declarations.stakeholders {
            if self
                .tables
                .stakeholders
                .declare(file, &decl.id, &mut self.diagnostics)
                .is_some()
            {
                let stakeholder = Stakeholder {
                    id: decl.id.text.clone(),
                    name: decl.display.value.clone(),
                };
                self.ruleset.stakeholders.push(stakeholder);
            }
        }
        for (file, decl) in &declarations.themes {
            if self
                .tables
                .themes
                .declare(file, &decl.id, &mut self.diagnostics)
                .is_some()
            {
                let number = decl.number.as_ref().map(|number| number.value);
                let theme = Theme {
                    id: decl.id.text.clone(),
                    title: decl.title.value.clone(),
                    number,
                };
                self.ruleset.themes.push(theme);
            }
        }
        for (file, decl) in &declarations.scales {
            self.build_scale(file, decl);
        }
        self.build_sections(declarations);
        self.build_tips(declarations);
        for (file, decl) in &declarations.questions {
            self.build_question(file, decl);
        }
        self.link_questions();
    }

    /// Sizes the symbol tables, lookups and lists of the catalogue for the declarations
    /// about to be read (duplicates only leave some room unused).
    fn reserve_catalogue(&mut self, declarations: &Declarations<'_>) {
        let tables = &mut self.tables;
        tables.stakeholders.reserve(declarations.stakeholders.len());
        tables.themes.reserve(declarations.themes.len());
        tables.scales.reserve(declarations.scales.len());
        tables.sections.reserve(declarations.sections.len());
        tables.tips.reserve(declarations.tips.len());
        tables.questions.reserve(declarations.questions.len());
        let ruleset = &mut self.ruleset;
        ruleset
            .stakeholders
            .reserve(declarations.stakeholders.len());
        ruleset.themes.reserve(declarations.themes.len());
        ruleset.sections.reserve(declarations.sections.len());
        ruleset.tips.reserve(declarations.tips.len());
        ruleset.tip_lookup.reserve(declarations.tips.len());
        ruleset.questions.reserve(declarations.questions.len());
        ruleset
            .question_lookup
            .reserve(declarations.questions.len());
    }

    fn build_sections(&mut self, declarations: &Declarations<'_>) {
        let mut sorted = declarations.sections.clone();
        let order = |decl: &ast::SectionDecl| {
            (
                decl.kind == SectionKind::Factor,
                decl.number.as_ref().map(|n| n.value),
            )
        };
        sorted.sort_by_key(|(_, decl)| order(decl));
        let mut seen_numbers = HashSet::new();
        for (file, decl) in sorted {
            if self
                .tables
                .sections
                .declare(file, &decl.id, &mut self.diagnostics)
                .is_none()
            {
                continue;
            }
            let number = self.section_number(file, decl, &mut seen_numbers);
            let section = Section {
                id: decl.id.text.clone(),
                kind: decl.kind,
                number,
                title: decl.title.value.clone(),
                theme: self.section_theme(file, decl),
                horizon: self.section_horizon(file, decl),
                stakeholders: self.section_stakeholders(file, decl),
                note: decl.note.as_ref().map(|note| note.value.clone()),
                tips: Vec::new(),
                questions: Vec::new(),
                quickscan: None,
            };
            self.ruleset.sections.push(section);
        }
    }

    fn section_number(
        &mut self,
        file: &Arc<SourceFile>,
        decl: &ast::SectionDecl,
        seen: &mut HashSet<(SectionKind, u32)>,
    ) -> u32 {
        let Some(number) = &decl.number else {
            self.missing_part(file, kind_word(decl.kind), &decl.id, "number");
            return 0;
        };
        if !seen.insert((decl.kind, number.value)) {
            let message = format!("two {}s have number {}", kind_word(decl.kind), number.value);
            self.invalid(
                file,
                number.span.clone(),
                message,
                "each principle and factor has its own number",
            );
        }
        number.value
    }

    fn section_theme(&mut self, file: &Arc<SourceFile>, decl: &ast::SectionDecl) -> Option<u32> {
        match (&decl.theme, decl.kind) {
            (Some(theme), _) => self
                .tables
                .themes
                .resolve(file, theme, &mut self.diagnostics),
            (None, SectionKind::Factor) => {
                self.missing_part(file, "factor", &decl.id, "theme");
                None
            }
            (None, SectionKind::Principle) => None,
        }
    }

    fn section_horizon(&mut self, file: &Arc<SourceFile>, decl: &ast::SectionDecl) -> Horizon {
        match decl.horizon.as_ref().map(|horizon| horizon.value) {
            Some(HorizonSpec::NotGiven) => Horizon::NotGiven,
            Some(HorizonSpec::Range(from, to)) if from <= to => Horizon::Range { from, to },
            Some(HorizonSpec::Range(from, to)) => {
                let span = decl
                    .horizon
                    .as_ref()
                    .map(|h| h.span.clone())
                    .unwrap_or_default();
                let message = format!("horizon `{from}..{to}` runs backwards");
                self.invalid(file, span, message, format!("write `{to}..{from}`"));
                Horizon::Range { from: to, to: from }
            }
            None => {
                self.missing_part(file, kind_word(decl.kind), &decl.id, "horizon");
                Horizon::NotGiven
            }
        }
    }

    fn section_stakeholders(
        &mut self,
        file: &Arc<SourceFile>,
        decl: &ast::SectionDecl,
    ) -> Vec<StakeholderIndex> {
        let mut stakeholders = Vec::new();
        let mut listed = HashSet::new();
        for name in &decl.stakeholders {
            let Some(index) = self
                .tables
                .stakeholders
                .resolve(file, name, &mut self.diagnostics)
            else {
                continue;
            };
            if !listed.insert(index) {
                let message = format!("stakeholder `{}` is listed twice", name.text);
                self.invalid(
                    file,
                    name.span.clone(),
                    message,
                    "remove the second mention",
                );
            } else {
                stakeholders.push(index);
            }
        }
        stakeholders
    }

    fn build_tips(&mut self, declarations: &Declarations<'_>) {
        let mut placed = Vec::new();
        for (file, decl) in &declarations.tips {
            if let Some(section) = self.tip_section(file, &decl.id) {
                placed.push((section, *file, *decl));
            }
        }
        // Tips are numbered section by section, in declaration order within a section.
        placed.sort_by_key(|(section, _, _)| *section);
        for (section, file, decl) in placed {
            let Some(index) = self
                .tables
                .tips
                .declare(file, &decl.id, &mut self.diagnostics)
            else {
                continue;
            };
            let text = match &decl.text {
                Some(text) => text.value.clone(),
                None => {
                    self.missing_part(file, "tip", &decl.id, "text");
                    String::new()
                }
            };
            let group = decl.group.as_ref().map(|group| group.value.clone());
            let tip = Tip {
                id: decl.id.text.clone(),
                section,
                text,
                group,
                after: Vec::new(),
                maturity_question: None,
                lead: None,
                applies: Vec::new(),
                base_rule: None,
                fundament: 0,
            };
            self.ruleset.tips.push(tip);
            self.ruleset.tip_lookup.insert(decl.id.text.clone(), index);
            if let Some(section) = self.ruleset.sections.get_mut(section.index()) {
                section.tips.push(index);
            }
        }
    }

    fn tip_section(&mut self, file: &Arc<SourceFile>, id: &Name) -> Option<SectionIndex> {
        let Some((prefix, _)) = id.text.split_once('.') else {
            let message = format!("tip id `{}` does not name its principle or factor", id.text);
            self.invalid(
                file,
                id.span.clone(),
                message,
                "write the id as `<factor>.<name>`, e.g. `toetsing.frequentie`",
            );
            return None;
        };
        let prefix_name = Name {
            text: prefix.to_owned(),
            span: id.span.start..id.span.start + prefix.len(),
        };
        self.tables
            .sections
            .resolve(file, &prefix_name, &mut self.diagnostics)
    }

    fn build_scale(&mut self, file: &Arc<SourceFile>, decl: &ast::ScaleDecl) {
        if self
            .tables
            .scales
            .declare(file, &decl.id, &mut self.diagnostics)
            .is_none()
        {
            return;
        }
        let (low, high) = (decl.low.value, decl.high.value);
        let mut scale = Scale {
            id: decl.id.text.clone(),
            low,
            high,
            labels: Vec::new(),
            descriptions: Vec::new(),
        };
        if low > high {
            let message = format!("scale `{}` runs backwards ({low}..{high})", decl.id.text);
            self.invalid(
                file,
                decl.low.span.clone(),
                message,
                format!("write `{high}..{low}`"),
            );
        } else if self.check_scale_size(file, decl) {
            (scale.labels, scale.descriptions) = self.scale_labels(file, decl);
        }
        // INVARIANT: a declared scale is pushed even when wrong, so indices match the table.
        self.ruleset.scales.push(scale);
    }

    /// Whether the scale's levels are within the limits; reports them when not.
    fn check_scale_size(&mut self, file: &Arc<SourceFile>, decl: &ast::ScaleDecl) -> bool {
        for bound in [&decl.low, &decl.high] {
            if bound.value > super::MAX_SCALE_LEVEL {
                let kind = DiagnosticKind::OverLimit {
                    what: format!("level {} of scale `{}`", bound.value, decl.id.text),
                    limit: super::MAX_SCALE_LEVEL.to_string(),
                };
                let diagnostic = Diagnostic::new(kind, file, bound.span.clone(), "too high")
                    .with_help("a scale's levels are small whole numbers, such as 0..4");
                self.diagnostics.push(diagnostic);
                return false;
            }
        }
        let levels = decl.high.value - decl.low.value + 1;
        if levels <= super::MAX_SCALE_LEVELS {
            return true;
        }
        let kind = DiagnosticKind::OverLimit {
            what: format!("scale `{}` has {levels} levels", decl.id.text),
            limit: format!("{} levels", super::MAX_SCALE_LEVELS),
        };
        let span = decl.low.span.start..decl.high.span.end;
        let diagnostic = Diagnostic::new(kind, file, span, "too many levels").with_help(
            "every level is a choice in the questionnaire's drop-down; for a quantity, \
             use a `number` question with a range",
        );
        self.diagnostics.push(diagnostic);
        false
    }

    /// The labels and descriptions of a scale's levels, sorted by level.
    #[allow(clippy::type_complexity)]
    fn scale_labels(
        &mut self,
        file: &Arc<SourceFile>,
        decl: &ast::ScaleDecl,
    ) -> (Vec<(i64, String)>, Vec<(i64, String)>) {
        let (low, high) = (decl.low.value, decl.high.value);
        let mut labels: Vec<(i64, String)> = Vec::new();
        let mut descriptions: Vec<(i64, String)> = Vec::new();
        for (level, label, description) in &decl.labels {
            if !(low..=high).contains(&level.value) {
                let kind = DiagnosticKind::OutOfRange {
                    value: level.value.to_string(),
                    question: decl.id.text.clone(),
                    range: format!("{low}..{high}"),
                };
                self.diagnostics.push(Diagnostic::new(
                    kind,
                    file,
                    level.span.clone(),
                    "not a level of this scale",
                ));
            } else if labels.iter().any(|(existing, _)| *existing == level.value) {
                let message = format!(
                    "level {} of scale `{}` has two labels",
                    level.value, decl.id.text
                );
                self.invalid(
                    file,
                    level.span.clone(),
                    message,
                    "keep one label per level",
                );
            } else {
                labels.push((level.value, label.value.clone()));
                descriptions.extend(description.as_ref().map(|d| (level.value, d.value.clone())));
            }
        }
        labels.sort_by_key(|(level, _)| *level);
        descriptions.sort_by_key(|(level, _)| *level);
        (labels, descriptions)
    }

    fn build_question(&mut self, file: &Arc<SourceFile>, decl: &ast::QuestionDecl) {
        let Some(kind) = self.question_kind(file, &decl.kind) else {
            return;
        };
        let Some(index) = self
            .tables
            .questions
            .declare(file, &decl.id, &mut self.diagnostics)
        else {
            return;
        };
        self.ruleset
            .question_lookup
            .insert(decl.id.text.clone(), index);
        self.ruleset.questions.push(Question {
            id: decl.id.text.clone(),
            kind,
            text: decl.text.value.clone(),
            info: decl.info,
        });
    }

    fn question_kind(
        &mut self,
        file: &Arc<SourceFile>,
        spec: &QuestionTypeSpec,
    ) -> Option<QuestionKind> {
        Some(match spec {
            QuestionTypeSpec::YesNo => QuestionKind::YesNo,
            QuestionTypeSpec::Percent => QuestionKind::Percent,
            QuestionTypeSpec::Scale(name) => QuestionKind::Scale {
                scale: self
                    .tables
                    .scales
                    .resolve(file, name, &mut self.diagnostics)?,
            },
            QuestionTypeSpec::Number(range) => {
                if let Some(range) = range.as_ref().filter(|range| {
                    range
                        .value
                        .0
                        .partial_cmp(&range.value.1)
                        .is_none_or(|order| order.is_gt())
                }) {
                    let (low, high) = range.value;
                    self.invalid(
                        file,
                        range.span.clone(),
                        format!("range {low}..{high} is empty"),
                        "write the lower bound first",
                    );
                }
                QuestionKind::Number {
                    range: range.as_ref().map(|range| range.value),
                }
            }
            QuestionTypeSpec::Choice(options) => QuestionKind::Choice {
                options: self.choice_options(file, options),
            },
        })
    }

    fn choice_options(
        &mut self,
        file: &Arc<SourceFile>,
        options: &[(Name, Option<ast::Text>)],
    ) -> Vec<ChoiceOption> {
        let mut built: Vec<ChoiceOption> = Vec::new();
        for (id, label) in options {
            if built.iter().any(|option| option.id == id.text) {
                self.invalid(
                    file,
                    id.span.clone(),
                    format!("option `{}` is listed twice", id.text),
                    "remove one",
                );
            } else if built.len() == MAX_CHOICE_OPTIONS {
                let message = format!("a choice question has at most {MAX_CHOICE_OPTIONS} options");
                self.invalid(file, id.span.clone(), message, "split the question");
            } else {
                let label = label
                    .as_ref()
                    .map_or_else(|| id.text.clone(), |label| label.value.clone());
                built.push(ChoiceOption {
                    id: id.text.clone(),
                    label,
                });
            }
        }
        built
    }

    /// Gives each tip its maturity question and each section the questions of its score.
    fn link_questions(&mut self) {
        for tip in &mut self.ruleset.tips {
            tip.maturity_question = self.ruleset.question_lookup.get(&tip.id).copied();
        }
        self.questions_by_id = QuestionIndex::enumerate(&self.ruleset.questions)
            .map(|(index, question)| (question.id.clone(), index))
            .collect();
        self.questions_by_id.sort_unstable();
        for index in 0..self.ruleset.sections.len() {
            let Some(section) = self.ruleset.sections.get(index) else {
                continue;
            };
            let questions = self.questions_under(&section.id, true);
            if let Some(section) = self.ruleset.sections.get_mut(index) {
                section.questions = questions;
            }
        }
    }

    /// The questions whose id starts with `prefix` and a dot (the numeric ones only, if
    /// asked), in declaration order. A binary search finds them, so a glob costs the
    /// questions it matches, not every question.
    pub(super) fn questions_under(&self, prefix: &str, numeric_only: bool) -> Vec<QuestionIndex> {
        let dotted = format!("{prefix}.");
        let first = self
            .questions_by_id
            .partition_point(|(id, _)| id.as_str() < dotted.as_str());
        let mut matching: Vec<QuestionIndex> = self
            .questions_by_id
            .iter()
            .skip(first)
            .take_while(|(id, _)| id.starts_with(&dotted))
            .map(|&(_, index)| index)
            .filter(|&index| {
                let kind = self.ruleset.questions.get(index.index()).map(|q| &q.kind);
                !numeric_only || kind.is_some_and(is_numeric)
            })
            .collect();
        matching.sort_unstable();
        matching
    }

    pub(super) fn build_params(
        &mut self,
        declarations: &Declarations<'_>,
        overrides: &[ParamOverride],
    ) {
        self.tables.params.reserve(declarations.params.len());
        self.ruleset.params.reserve(declarations.params.len());
        for (file, decl) in &declarations.params {
            if self
                .tables
                .params
                .declare(file, &decl.id, &mut self.diagnostics)
                .is_none()
            {
                continue;
            }
            let default = decl.value.value;
            let value = overrides
                .iter()
                .rev()
                .find(|o| o.name == decl.id.text)
                .map_or(default, |o| o.value);
            let description = decl.description.as_ref().map(|text| text.value.clone());
            self.ruleset.params.push(Param {
                id: decl.id.text.clone(),
                value,
                default,
                description,
            });
        }
        let unknown: Vec<&ParamOverride> = overrides
            .iter()
            .filter(|o| self.tables.params.get(&o.name).is_none())
            .collect();
        for param in unknown {
            self.unknown_override(param);
        }
        for param in overrides.iter().filter(|o| !o.value.is_finite()) {
            self.infinite_override(param);
        }
        let in_place = self
            .ruleset
            .params
            .iter()
            .find(|param| param.id == "in_place");
        self.ruleset.in_place = in_place.map(|param| param.value);
    }

    /// An override that is not a finite number, which `--param` refuses while parsing
    /// but a library caller can pass.
    fn infinite_override(&mut self, param: &ParamOverride) {
        let text = format!("{}={}", param.name, param.value);
        let value_start = param.name.len() + 1;
        let span = value_start..text.len();
        let file = Arc::new(SourceFile::new("--param", text));
        let kind = DiagnosticKind::Invalid {
            message: format!("param `{}` must be a finite number", param.name),
        };
        let diagnostic = Diagnostic::new(kind, &file, span, "not a finite number")
            .with_help("give a number between about -1.8e308 and 1.8e308");
        self.diagnostics.push(diagnostic);
    }

    fn unknown_override(&mut self, param: &ParamOverride) {
        let text = format!("{}={}", param.name, param.value);
        let file = Arc::new(SourceFile::new("--param", text));
        let name = Name {
            text: param.name.clone(),
            span: 0..param.name.len(),
        };
        let diagnostic = super::symbols::unknown("param", &file, &name, self.tables.params.names());
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn missing_part(
        &mut self,
        file: &Arc<SourceFile>,
        what: &'static str,
        id: &Name,
        part: &'static str,
    ) {
        let kind = DiagnosticKind::MissingPart {
            what,
            name: id.text.clone(),
            part,
        };
        let help = match part {
            "horizon" => "write `horizon none` when the document gives no horizon".to_owned(),
            _ => format!("add `{part} ...` to the declaration"),
        };
        self.diagnostics.push(
            Diagnostic::new(
                kind,
                file,
                id.span.clone(),
                format!("this {what} needs a `{part}`"),
            )
            .with_help(help),
        );
    }

    pub(super) fn invalid(
        &mut self,
        file: &Arc<SourceFile>,
        span: ast::Span,
        message: String,
        help: impl Into<String>,
    ) {
        let kind = DiagnosticKind::Invalid { message };
        self.diagnostics
            .push(Diagnostic::new(kind, file, span, "here").with_help(help));
    }
}

/// Whether answers to a question of this kind are numbers (and so can be averaged).
pub(super) fn is_numeric(kind: &QuestionKind) -> bool {
    matches!(
        kind,
        QuestionKind::Scale { .. } | QuestionKind::Percent | QuestionKind::Number { .. }
    )
}

pub(super) fn kind_word(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Principle => "principle",
        SectionKind::Factor => "factor",
    }
}
