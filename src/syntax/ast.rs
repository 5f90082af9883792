//! The typed syntax tree. Spans are byte ranges into the file's text, so the tree owns
//! everything and outlives the parser.

pub use crate::diagnostic::Span;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// The identifier or dotted path.
    pub text: String,
    /// Where it stands.
    pub span: Span,
}

/// A string literal with its unescaped contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The unescaped contents.
    pub value: String,
    /// Where the literal stands, quotes included.
    pub span: Span,
}

/// One parsed `.rules` file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    /// Declarations in source order.
    pub declarations: Vec<Declaration>,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Declaration {
    /// `ruleset "name" version "v"`.
    RuleSet(RuleSetDecl),
    /// `stakeholder id "Display name"`.
    Stakeholder(StakeholderDecl),
    /// `theme id "Title" { number N }`.
    Theme(ThemeDecl),
    /// `principle` or `factor` with its properties.
    Section(SectionDecl),
    /// `tip section.slug { ... }`.
    Tip(TipDecl),
    /// `scale id lo..hi { n "label" ... }`.
    Scale(ScaleDecl),
    /// `question id: type "text"`.
    Question(QuestionDecl),
    /// `param id = value "description"`.
    Param(ParamDecl),
    /// `template id for scope { when ... priority ... because ... }`.
    Template(TemplateDecl),
    /// `rule id { when ... recommend ... priority ... because ... }`.
    Rule(RuleDecl),
    /// `test "name" { given ... expect ... }`.
    Test(TestDecl),
}

/// `ruleset "name" version "v"`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSetDecl {
    /// Display name of the rule set.
    pub name: Text,
    /// Version string, if given.
    pub version: Option<Text>,
    /// The whole declaration.
    pub span: Span,
}

/// `stakeholder id "Display name"`.
#[derive(Debug, Clone, PartialEq)]
pub struct StakeholderDecl {
    /// The role's id.
    pub id: Name,
    /// How reports show the role.
    pub display: Text,
}

/// `theme id "Title" { number N }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeDecl {
    /// The theme's id.
    pub id: Name,
    /// The document's heading.
    pub title: Text,
    /// The theme's number, if given.
    pub number: Option<Spanned<u32>>,
}

/// Whether a section is one of the principles or one of the factors.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// An "uitgangspunt".
    Principle,
    /// A "beïnvloedbare factor".
    Factor,
}

/// A principle or factor declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionDecl {
    /// Principle or factor.
    pub kind: SectionKind,
    /// The section's id, the prefix of its tips' ids.
    pub id: Name,
    /// The document's title.
    pub title: Text,
    /// `number N`.
    pub number: Option<Spanned<u32>>,
    /// `theme id`.
    pub theme: Option<Name>,
    /// `horizon ...`.
    pub horizon: Option<Spanned<HorizonSpec>>,
    /// `stakeholders a, b, ...`.
    pub stakeholders: Vec<Name>,
    /// `note "..."`.
    pub note: Option<Text>,
    /// `quickscan question`: the section's quick-scan question.
    pub quickscan: Option<Name>,
    /// `lead role`: the default lead of the section's tips.
    pub lead: Option<Name>,
    /// `applies when ... because "..."`: conditions every tip of the section shares.
    pub applies: Vec<Applies>,
}

/// `applies when <condition> because "<reason>"`: when the tips it stands in can apply
/// to a programme at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Applies {
    /// The condition; unknown (context not given) counts as applying.
    pub when: Expr,
    /// Why the tip does not apply when the condition is false.
    pub because: Text,
}

/// A value with the span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it stands.
    pub span: Span,
}

/// One level of the document's time horizon.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum HorizonLevel {
    /// Can start now.
    Kort,
    /// Developing or deploying an intervention.
    Midden,
    /// Vision level.
    Lang,
}

/// A horizon as written: a range of levels, or explicitly not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HorizonSpec {
    /// `horizon none`: the document gives no horizon.
    NotGiven,
    /// `horizon kort` or `horizon kort..midden`.
    Range(HorizonLevel, HorizonLevel),
}

/// `tip section.slug { text ... after ... group ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct TipDecl {
    /// The tip's id; its first segment names its section.
    pub id: Name,
    /// The tip's text.
    pub text: Option<Text>,
    /// Prerequisite tips.
    pub after: Vec<Name>,
    /// Optional sub-heading of the document the tip stands under.
    pub group: Option<Text>,
    /// `lead role`: the role that owns the tip, overriding the section's.
    pub lead: Option<Name>,
    /// `applies when ... because "..."`: conditions of this tip alone.
    pub applies: Vec<Applies>,
    /// `because "..."`: the tip's own explanation, instead of its template's.
    pub because: Option<Text>,
    /// The whole declaration.
    pub span: Span,
}

/// `scale id lo..hi { n "label" ["description"] ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleDecl {
    /// The scale's id.
    pub id: Name,
    /// Lowest level.
    pub low: Spanned<i64>,
    /// Highest level.
    pub high: Spanned<i64>,
    /// Level labels, each with its optional description.
    pub labels: Vec<(Spanned<i64>, Text, Option<Text>)>,
}

/// The answer type of a question, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionTypeSpec {
    /// A declared scale.
    Scale(Name),
    /// `yesno`.
    YesNo,
    /// `percent`, 0..100.
    Percent,
    /// `number` with an optional inclusive range.
    Number(Option<Spanned<(f64, f64)>>),
    /// `choice [a "A", b "B"]`.
    Choice(Vec<(Name, Option<Text>)>),
}

/// `question id: type "text" [info]`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDecl {
    /// The question's id (the column header in input files).
    pub id: Name,
    /// Its answer type.
    pub kind: QuestionTypeSpec,
    /// The text shown to the programme team.
    pub text: Text,
    /// Kept for reports only: no rule needs to read it.
    pub info: bool,
}

/// `param id = value "description"`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    /// The param's name.
    pub id: Name,
    /// Its default value.
    pub value: Spanned<f64>,
    /// What it tunes.
    pub description: Option<Text>,
}

/// `rule id { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    /// The rule's id.
    pub id: Name,
    /// `when` condition.
    pub when: Option<Expr>,
    /// `recommend` tips.
    pub recommend: Vec<Name>,
    /// `raise` tips: recommended elsewhere, made more urgent by this rule.
    pub raise: Vec<Name>,
    /// `by`: how much a `raise` adds to their priority.
    pub raise_by: Option<Expr>,
    /// `priority` expression.
    pub priority: Option<Expr>,
    /// `because` text.
    pub because: Option<Text>,
    /// The whole declaration.
    pub span: Span,
}

/// Which tips a template writes the base rule of.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateScope {
    /// `for *`: every tip.
    Every,
    /// `for a, b`: the tips of these principles and factors.
    Sections(Vec<Name>),
}

/// `template id for scope { when ... priority ... because ... }`: the base rule of every
/// tip in scope, written once. Placeholders (`$tip`, `$quickscan`, `$section.*`,
/// `$fundament`, `$kort`) stand for the tip at hand.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateDecl {
    /// The template's id.
    pub id: Name,
    /// The tips it covers.
    pub scope: TemplateScope,
    /// The rule body; `recommend` and `raise` are not allowed in it.
    pub body: RuleDecl,
}

/// `test "name" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct TestDecl {
    /// The test's name.
    pub name: Text,
    /// `given` assignments.
    pub given: Vec<Assignment>,
    /// `expect` and `expect not` lines.
    pub expectations: Vec<Expectation>,
}

/// `question = value` in a test.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The question.
    pub question: Name,
    /// The value given.
    pub value: Spanned<GivenValue>,
}

/// A value in a `given` line.
#[derive(Debug, Clone, PartialEq)]
pub enum GivenValue {
    /// A number.
    Number(f64),
    /// `yes`/`no`/`true`/`false`.
    Bool(bool),
    /// A choice option.
    Option(String),
    /// `missing`: explicitly unanswered.
    Missing,
}

/// One `expect` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The tip expected (or not).
    pub tip: Name,
    /// `expect not`.
    pub negated: bool,
    /// `priority >= N` bound.
    pub priority: Option<(CompareOp, Spanned<f64>)>,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it stands.
    pub span: Span,
}

/// The expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number literal.
    Number(f64),
    /// `yes`/`no`/`true`/`false`.
    Bool(bool),
    /// A question, param or choice option.
    Reference(String),
    /// `not x`, `-x`.
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `x in [a, b]`.
    In(Box<Expr>, Vec<Name>),
    /// `f(args)`.
    Call(Function, Vec<Argument>),
}

/// A function argument: an expression or a glob over question ids.
#[derive(Debug, Clone, PartialEq)]
pub enum Argument {
    /// Any expression.
    Expr(Expr),
    /// `prefix.*`: the prefix without `.*`.
    Glob(Name),
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`.
    Not,
    /// `-`.
    Negate,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CompareOp {
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`.
    Or,
    /// `and`.
    And,
    /// A comparison.
    Compare(CompareOp),
    /// `+`.
    Add,
    /// `-`.
    Subtract,
    /// `*`.
    Multiply,
    /// `/`.
    Divide,
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// Mean of the answered arguments.
    Avg,
    /// Least answered argument.
    Min,
    /// Greatest answered argument.
    Max,
    /// Number of answered arguments.
    Count,
    /// Whether the argument is known.
    Answered,
    /// Whether the argument is unknown.
    Missing,
    /// First known argument.
    Coalesce,
}

impl CompareOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
        }
    }
}

impl std::fmt::Display for HorizonLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HorizonLevel::Kort => "kort",
            HorizonLevel::Midden => "midden",
            HorizonLevel::Lang => "lang",
        })
    }
}
