//! Stage 2, syntax trees to [`RuleSet`]: resolves every reference, checks types, lowers
//! expressions into a flat arena and builds the tip dependency graph. Reports every
//! diagnostic it can find in one pass.

mod advisory;
mod catalogue;
mod explain;
mod fx;
mod graph;
mod hash;
mod limits;
mod lower;
mod program;
mod reuse;
mod rules;
mod symbols;
mod template;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics, Severity, SourceFile};
use crate::ruleset::{
    ExplainTables, LazyExplain, Program, QuestionIndex, RuleSet, RuleSetInfo, TipRules,
};
use crate::syntax::{self, ast};

// The limits of the parser, which `compile` runs on each file first. The parser is
// private, its limits are not; their own doc comments say what each one bounds.
pub use crate::syntax::{MAX_FILE_BYTES, MAX_NESTING, MAX_SYNTAX_ERRORS};
pub(crate) use hash::profile_hash;
pub use limits::{MAX_DECLARATIONS, MAX_DIAGNOSTICS, MAX_EXPRESSION_NODES};

/// Most levels a scale may have: enough for a scale of 0 to 100, few enough for every
/// form's drop-down and legend.
pub const MAX_SCALE_LEVELS: i64 = 101;

/// The highest level a scale may name, so that every level is exactly a number an
/// answer can be.
pub const MAX_SCALE_LEVEL: i64 = 1_000_000;

/// Most options a choice question can have: membership tests use a 64-bit set.
pub const MAX_CHOICE_OPTIONS: usize = 64;

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
        // The same rule as for a param literal in a rules file: a finite number.
        let value =
            syntax::finite_number(value).map_err(|error| format!("{error} (in `{text}`)"))?;
        Ok(ParamOverride {
            name: name.trim().to_owned(),
            value,
        })
    }
}

/// A successful compilation: the rule set and the warnings it comes with. What every
/// way of loading rules returns ([`RuleSet::roadmap`], [`RuleSet::from_path`], ...); it
/// dereferences to the rule set, so it is used as one. The warnings are kept beside the
/// rule set, not in it: they are about the sources, which the rule set keeps only to
/// build its explanation tables.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The compiled rule set.
    pub ruleset: RuleSet,
    /// Warnings (tips no rule recommends, questions no rule reads).
    pub warnings: Diagnostics,
}

impl Compiled {
    /// The rule set, without the warnings.
    pub fn into_ruleset(self) -> RuleSet {
        self.ruleset
    }

    /// The warnings (tips no rule recommends, questions no rule reads).
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }
}

impl std::ops::Deref for Compiled {
    type Target = RuleSet;

    fn deref(&self) -> &RuleSet {
        &self.ruleset
    }
}

impl AsRef<RuleSet> for Compiled {
    fn as_ref(&self) -> &RuleSet {
        &self.ruleset
    }
}

/// Compiles rule sources (in the order given) with optional param overrides.
///
/// Returns every diagnostic, errors and warnings, when any error is found. The rule set
/// keeps the sources and overrides to build its explanation tables the first time
/// [`RuleSet::explain`] or `research::coverage` reads them.
pub fn compile(
    sources: Vec<SourceFile>,
    overrides: &[ParamOverride],
) -> Result<Compiled, Diagnostics> {
    let files: Arc<[Arc<SourceFile>]> = sources.into_iter().map(Arc::new).collect();
    let (trees, diagnostics) = parse_all(&files);
    let declarations = Declarations::collect(&trees);
    let builder = Builder::run(&trees, &declarations, diagnostics, overrides, None);
    let info = RuleSetInfo {
        name: declarations.ruleset_name(&files),
        version: declarations.ruleset_version(),
        hash: hash::content_hash(&files, overrides),
    };
    let mut compiled = builder.finish(info)?;
    let overrides = overrides.to_vec();
    compiled.ruleset.explain =
        Arc::new(LazyExplain::new(move || explain_tables(&files, &overrides)));
    Ok(compiled)
}

/// The explanation tables of the rule set `files` and `overrides` compile to: the
/// same compile once more, recording the tree of every rule and condition, and the
/// unfused program they read. Empty tables if the sources do not compile (they did
/// once, so they always do: compiling is deterministic).
fn explain_tables(files: &[Arc<SourceFile>], overrides: &[ParamOverride]) -> ExplainTables {
    let (trees, diagnostics) = parse_all(files);
    let declarations = Declarations::collect(&trees);
    let trace = Some(explain::Trace::default());
    let builder = Builder::run(&trees, &declarations, diagnostics, overrides, trace);
    builder.finish_explanation().unwrap_or_default()
}

/// Every file parsed, in order, with the syntax errors of all of them.
fn parse_all(files: &[Arc<SourceFile>]) -> (Vec<(Arc<SourceFile>, ast::File)>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut trees = Vec::with_capacity(files.len());
    for file in files {
        let (tree, errors) = syntax::parse(file);
        diagnostics.extend(errors);
        trees.push((Arc::clone(file), tree));
    }
    (trees, diagnostics)
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
    budget: limits::Budget,
    /// Question ids in sorted order, for globs: the questions under a prefix are a range.
    questions_by_id: Vec<(String, QuestionIndex)>,
    /// The globs expanded so far.
    globs: lower::Globs,
    /// Template sub-expressions lowered so far.
    reuse: reuse::Reuse,
    /// The questions the rule being lowered reads, kept between rules so that each
    /// rule's list is allocated once, at its length.
    reads: Vec<QuestionIndex>,
    /// The sub-expression trees explanations read, when this compile records them.
    trace: Option<explain::Trace>,
    /// Where each rule is written.
    locations: explain::Locations,
}

impl Builder {
    fn new(diagnostics: Vec<Diagnostic>, trace: Option<explain::Trace>) -> Self {
        Builder {
            diagnostics,
            tables: catalogue::Tables::default(),
            program: program::ProgramBuilder::default(),
            ruleset: empty_ruleset(),
            budget: limits::Budget::default(),
            questions_by_id: Vec::new(),
            globs: lower::Globs::default(),
            reuse: reuse::Reuse::default(),
            reads: Vec::new(),
            trace,
            locations: explain::Locations::default(),
        }
    }

    /// A builder that has checked and lowered every declaration of `trees`, starting
    /// from the syntax errors `diagnostics`, recording trees into `trace` if given.
    fn run(
        trees: &[(Arc<SourceFile>, ast::File)],
        declarations: &Declarations<'_>,
        diagnostics: Vec<Diagnostic>,
        overrides: &[ParamOverride],
        trace: Option<explain::Trace>,
    ) -> Self {
        let mut builder = Builder::new(diagnostics, trace);
        match limits::too_many_declarations(trees) {
            Some(too_many) => builder.diagnostics.push(too_many),
            None => {
                builder.build(declarations, overrides);
                builder.check_not_empty(trees);
            }
        }
        builder
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
        // Rules not lowered read nothing: warnings about unread questions would be false.
        if !self.stopped() {
            self.warn_unused();
        }
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

    /// A rule set without tips advises nothing: an error. (Tips without rules are
    /// warned about one by one.) A file that declares nothing among others that do is
    /// likely a mistake: a warning. Both are left unsaid when other errors (a file that
    /// does not parse) explain them.
    fn check_not_empty(&mut self, trees: &[(Arc<SourceFile>, ast::File)]) {
        if self
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
        {
            return;
        }
        if trees.len() > 1 {
            for (file, _) in trees
                .iter()
                .filter(|(_, tree)| tree.declarations.is_empty())
            {
                let diagnostic = Diagnostic::new(DiagnosticKind::EmptyFile, file, 0..0, "empty")
                    .with_help("remove the file, or write its declarations");
                self.diagnostics.push(diagnostic);
            }
        }
        if !self.ruleset.tips.is_empty() {
            return;
        }
        let file = trees.first().map_or_else(
            || Arc::new(SourceFile::new("(no rules files)", "")),
            |(file, _)| Arc::clone(file),
        );
        let help = "declare a principle or factor, its tips (`tip f.x { text \"...\" }`) \
                    and rules that recommend them; docs/language.md shows each";
        let diagnostic =
            Diagnostic::new(DiagnosticKind::EmptyRuleSet, &file, 0..0, "no tip").with_help(help);
        self.diagnostics.push(diagnostic);
    }

    fn finish(mut self, info: RuleSetInfo) -> Result<Compiled, Diagnostics> {
        self.ruleset.info = info;
        // Source order reads best; the passes found them in another order. A template
        // with a mistake reports it once, not once per tip it writes a rule for.
        self.diagnostics
            .sort_by(|a, b| (&a.file.name, a.span.start).cmp(&(&b.file.name, b.span.start)));
        self.diagnostics
            .dedup_by(|a, b| a.file.name == b.file.name && a.span == b.span && a.kind == b.kind);
        drop_follow_ons(&mut self.diagnostics);
        limits::cap(&mut self.diagnostics);
        let diagnostics = Diagnostics(self.diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        self.ruleset.rule_sources = self.locations.of_rules(&self.ruleset);
        self.program.finish(&mut self.ruleset);
        self.ruleset.planning = crate::ruleset::PlanTables::new(&self.ruleset);
        self.ruleset.tip_rules = TipRules::new(&self.ruleset.rules, self.ruleset.tips.len());
        Ok(Compiled {
            ruleset: self.ruleset,
            warnings: diagnostics,
        })
    }
}

impl Builder {
    /// The explanation tables of a compile that recorded its trees; `None` if it
    /// found an error or recorded nothing.
    fn finish_explanation(self) -> Option<ExplainTables> {
        let has_errors = self
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error);
        if has_errors {
            return None;
        }
        let mut tables = self.trace?.tables(&self.ruleset);
        let (program, slots) = self.program.explanation(&self.ruleset);
        explain::relabel_all(&mut tables, program, &slots);
        Some(tables)
    }
}

/// Drops the diagnostics at the span of a number literal that is too large: the literal
/// was read as the largest value (or infinity) only so that its declaration survives,
/// and what the compiler says about that value would be noise.
fn drop_follow_ons(diagnostics: &mut Vec<Diagnostic>) {
    let is_literal = |d: &Diagnostic| matches!(d.kind, DiagnosticKind::NumberTooLarge { .. });
    let literals: HashSet<(String, ast::Span)> = diagnostics
        .iter()
        .filter(|d| is_literal(d))
        .map(|d| (d.file.name.clone(), d.span.clone()))
        .collect();
    if literals.is_empty() {
        return;
    }
    diagnostics
        .retain(|d| is_literal(d) || !literals.contains(&(d.file.name.clone(), d.span.clone())));
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
        program_id: 0,
        topological_order: Vec::new(),
        in_place: None,
        planning: crate::ruleset::PlanTables::default(),
        question_lookup: HashMap::new(),
        tip_lookup: HashMap::new(),
        tip_rules: TipRules::default(),
        rule_sources: Vec::new(),
        explain: Arc::default(),
        answer_checks: Default::default(),
    }
}
