//! Stage 2, syntax trees to [`RuleSet`]: resolves every reference, checks types, lowers
//! expressions into a flat arena and builds the tip dependency graph. Reports every
//! diagnostic it can find in one pass.

mod advisory;
mod catalogue;
mod graph;
mod hash;
mod lower;
mod program;
mod rules;
mod symbols;
mod template;

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::ruleset::{Program, RuleSet, RuleSetInfo};
use crate::syntax::{self, ast};

/// A param value given on the command line (`--param NAME=VALUE`), applied at compile
/// time so a researcher can try another threshold without editing a rules file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamOverride {
    /// The param's name.
    pub name: String,
    /// The value to use instead of the default.
    pub value: f64,
}

impl std::str::FromStr for ParamOverride {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| format!("expected NAME=VALUE, got `{text}`"))?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("`{value}` is not a number (in `{text}`)"))?;
        if !value.is_finite() {
            return Err(format!("`{value}` is not a finite number"));
        }
        Ok(ParamOverride {
            name: name.trim().to_owned(),
            value,
        })
    }
}

/// A successful compilation: the rule set and the warnings it comes with.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The compiled rule set.
    pub ruleset: RuleSet,
    /// Warnings (tips no rule recommends, questions no rule reads).
    pub warnings: Diagnostics,
}

/// Compiles rule sources (in the order given) with optional param overrides.
///
/// Returns every diagnostic, errors and warnings, when any error is found.
pub fn compile(
    sources: Vec<SourceFile>,
    overrides: &[ParamOverride],
) -> Result<Compiled, Diagnostics> {
    let files: Vec<Arc<SourceFile>> = sources.into_iter().map(Arc::new).collect();
    let mut diagnostics = Vec::new();
    let mut trees = Vec::new();
    for file in &files {
        let (tree, errors) = syntax::parse(file);
        diagnostics.extend(errors);
        trees.push((Arc::clone(file), tree));
    }
    let declarations = Declarations::collect(&trees);
    let mut builder = Builder::new(diagnostics);
    builder.build(&declarations, overrides);
    let info = RuleSetInfo {
        name: declarations.ruleset_name(&files),
        version: declarations.ruleset_version(),
        hash: hash::content_hash(&files, overrides),
    };
    builder.finish(info)
}

/// Every declaration of every file, by kind, each with its file.
#[derive(Default)]
pub(crate) struct Declarations<'a> {
    rulesets: Vec<(&'a Arc<SourceFile>, &'a ast::RuleSetDecl)>,
    stakeholders: Vec<(&'a Arc<SourceFile>, &'a ast::StakeholderDecl)>,
    themes: Vec<(&'a Arc<SourceFile>, &'a ast::ThemeDecl)>,
    sections: Vec<(&'a Arc<SourceFile>, &'a ast::SectionDecl)>,
    tips: Vec<(&'a Arc<SourceFile>, &'a ast::TipDecl)>,
    scales: Vec<(&'a Arc<SourceFile>, &'a ast::ScaleDecl)>,
    questions: Vec<(&'a Arc<SourceFile>, &'a ast::QuestionDecl)>,
    params: Vec<(&'a Arc<SourceFile>, &'a ast::ParamDecl)>,
    templates: Vec<(&'a Arc<SourceFile>, &'a ast::TemplateDecl)>,
    rules: Vec<(&'a Arc<SourceFile>, &'a ast::RuleDecl)>,
    tests: Vec<(&'a Arc<SourceFile>, &'a ast::TestDecl)>,
}

impl<'a> Declarations<'a> {
    fn collect(trees: &'a [(Arc<SourceFile>, ast::File)]) -> Self {
        let mut all = Declarations::default();
        for (file, tree) in trees {
            for declaration in &tree.declarations {
                all.push(file, declaration);
            }
        }
        all
    }

    fn push(&mut self, file: &'a Arc<SourceFile>, declaration: &'a ast::Declaration) {
        use ast::Declaration as D;
        match declaration {
            D::RuleSet(decl) => self.rulesets.push((file, decl)),
            D::Stakeholder(decl) => self.stakeholders.push((file, decl)),
            D::Theme(decl) => self.themes.push((file, decl)),
            D::Section(decl) => self.sections.push((file, decl)),
            D::Tip(decl) => self.tips.push((file, decl)),
            D::Scale(decl) => self.scales.push((file, decl)),
            D::Question(decl) => self.questions.push((file, decl)),
            D::Param(decl) => self.params.push((file, decl)),
            D::Template(decl) => self.templates.push((file, decl)),
            D::Rule(decl) => self.rules.push((file, decl)),
            D::Test(decl) => self.tests.push((file, decl)),
        }
    }

    fn ruleset_name(&self, files: &[Arc<SourceFile>]) -> String {
        match self.rulesets.first() {
            Some((_, decl)) => decl.name.value.clone(),
            None => files
                .first()
                .map(|file| file.hash_name.clone())
                .unwrap_or_default(),
        }
    }

    fn ruleset_version(&self) -> String {
        let version = self
            .rulesets
            .first()
            .and_then(|(_, decl)| decl.version.as_ref());
        version
            .map(|version| version.value.clone())
            .unwrap_or_default()
    }
}

/// The state of one compilation: symbol tables, the rule set being filled in, and the
/// diagnostics found so far.
pub(crate) struct Builder {
    diagnostics: Vec<Diagnostic>,
    tables: catalogue::Tables,
    program: program::ProgramBuilder,
    ruleset: RuleSet,
}

impl Builder {
    fn new(diagnostics: Vec<Diagnostic>) -> Self {
        Builder {
            diagnostics,
            tables: catalogue::Tables::default(),
            program: program::ProgramBuilder::default(),
            ruleset: empty_ruleset(),
        }
    }

    fn build(&mut self, declarations: &Declarations<'_>, overrides: &[ParamOverride]) {
        self.check_single_ruleset(declarations);
        self.build_catalogue(declarations);
        self.build_params(declarations, overrides);
        self.build_graph(declarations);
        self.build_advisory(declarations);
        self.build_templates(declarations);
        self.build_rules(declarations);
        self.link_base_rules();
        self.build_tests(declarations);
        self.warn_unused();
    }

    fn check_single_ruleset(&mut self, declarations: &Declarations<'_>) {
        for (file, decl) in declarations.rulesets.iter().skip(1) {
            let message = "a rule set has one `ruleset` declaration".to_owned();
            let kind = crate::diagnostic::DiagnosticKind::Invalid { message };
            self.diagnostics.push(
                Diagnostic::new(kind, file, decl.span.clone(), "second `ruleset` here")
                    .with_help("remove it, or keep the name and version in one file"),
            );
        }
    }

    fn finish(mut self, info: RuleSetInfo) -> Result<Compiled, Diagnostics> {
        self.ruleset.info = info;
        // Source order reads best; the passes found them in another order. A template
        // with a mistake reports it once, not once per tip it writes a rule for.
        self.diagnostics
            .sort_by(|a, b| (&a.file.name, a.span.start).cmp(&(&b.file.name, b.span.start)));
        self.diagnostics
            .dedup_by(|a, b| a.file.name == b.file.name && a.span == b.span && a.kind == b.kind);
        let diagnostics = Diagnostics(self.diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        self.program.finish(&mut self.ruleset);
        self.ruleset.planning = crate::plan::PlanTables::new(&self.ruleset);
        Ok(Compiled {
            ruleset: self.ruleset,
            warnings: diagnostics,
        })
    }
}

fn empty_ruleset() -> RuleSet {
    RuleSet {
        info: RuleSetInfo {
            name: String::new(),
            version: String::new(),
            hash: String::new(),
        },
        themes: Vec::new(),
        stakeholders: Vec::new(),
        sections: Vec::new(),
        tips: Vec::new(),
        scales: Vec::new(),
        questions: Vec::new(),
        params: Vec::new(),
        rules: Vec::new(),
        tests: Vec::new(),
        program: Program::default(),
        topological_order: Vec::new(),
        in_place: None,
        planning: crate::plan::PlanTables::default(),
        question_lookup: HashMap::new(),
        tip_lookup: HashMap::new(),
    }
}
