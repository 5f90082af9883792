//! Diagnostics shared by the `syntax` and `compile` stages: what went wrong, where
//! (file, byte span, line and column) and a hint. Rendering is miette's job at the edge.

mod explain;
mod snippet;
mod suggest;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub use explain::{codes, explanation};
pub use suggest::did_you_mean;
pub use suggest::MAX_SUGGESTED_NAME_BYTES;

/// A byte range in one source file.
pub type Span = Range<usize>;

/// One rules file: its display name and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name shown in diagnostics, usually the path as given.
    pub name: String,
    /// The name used in the rule set's content hash: the path relative to the rules root,
    /// so the same rules hash alike wherever they are checked out.
    pub hash_name: String,
    /// The file's text.
    pub text: Arc<str>,
}

/// The UTF-8 byte-order mark some Windows editors write at the start of a file.
const BYTE_ORDER_MARK: char = '\u{feff}';

impl SourceFile {
    /// A source whose display name and hash name are the same. A leading byte-order
    /// mark is skipped, so offsets, lines and columns count from the first real character.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let name = name.into();
        SourceFile {
            hash_name: name.clone(),
            name,
            text: without_byte_order_mark(text.into()),
        }
    }

    /// A source from a file's bytes, named `name` in diagnostics and `hash_name` in the
    /// content hash. A leading UTF-8 byte-order mark is skipped; bytes that are not UTF-8
    /// are a diagnostic at the line and column of the first invalid byte.
    pub fn from_bytes(
        name: String,
        hash_name: String,
        bytes: &[u8],
    ) -> Result<Self, Box<Diagnostic>> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile {
                name,
                hash_name,
                text: text.into(),
            }),
            Err(error) => Err(Box::new(not_utf8(
                name,
                hash_name,
                bytes,
                error.valid_up_to(),
            ))),
        }
    }
}

fn without_byte_order_mark(text: Arc<str>) -> Arc<str> {
    match text.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => rest.into(),
        None => text,
    }
}

/// A diagnostic at the first byte that is not UTF-8, shown in the text as decoded with
/// replacement characters (the text before it is the same, so its offset holds).
fn not_utf8(name: String, hash_name: String, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    let file = Arc::new(SourceFile {
        name,
        hash_name,
        text: String::from_utf8_lossy(bytes).into(),
    });
    let span = valid_up_to..valid_up_to + char::REPLACEMENT_CHARACTER.len_utf8();
    Diagnostic::new(DiagnosticKind::NotUtf8 { byte }, &file, span, "not UTF-8").with_help(
        "save the file as UTF-8 (a text editor's \"Save as\" offers it; \
         `iconv -f WINDOWS-1252 -t UTF-8` converts a Windows file)",
    )
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rule set is usable; something looks unintended.
    Warning,
    /// The rule set cannot be compiled.
    Error,
}

/// What a diagnostic is about. The messages are lowercase, with user input in backticks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiagnosticKind {
    /// The text does not follow the grammar.
    #[error("syntax error: expected {expected}")]
    Syntax {
        /// What the parser would have accepted here.
        expected: String,
    },
    /// Nesting past the limit that keeps the parser off the end of the stack.
    #[error("nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A reference to something not declared.
    #[error("unknown {what} `{name}`")]
    Unknown {
        /// The kind of thing looked up ("tip", "question", ...).
        what: &'static str,
        /// The name as written.
        name: String,
    },
    /// A second declaration of an id.
    #[error("duplicate {what} `{name}`")]
    Duplicate {
        /// The kind of thing declared twice.
        what: &'static str,
        /// The id.
        name: String,
    },
    /// A required part of a declaration is absent.
    #[error("{what} `{name}` has no {part}")]
    MissingPart {
        /// The kind of declaration.
        what: &'static str,
        /// Its id.
        name: String,
        /// The missing part (`text`, `when`, ...).
        part: &'static str,
    },
    /// An expression whose types do not fit.
    #[error("type error: {message}")]
    Type {
        /// What does not fit.
        message: String,
    },
    /// A literal outside the range of the question it is compared with or given to.
    #[error("value {value} is outside the range of `{question}` ({range})")]
    OutOfRange {
        /// The literal.
        value: String,
        /// The question.
        question: String,
        /// The allowed range.
        range: String,
    },
    /// A declaration that breaks a rule of the catalogue's structure.
    #[error("{message}")]
    Invalid {
        /// What is wrong.
        message: String,
    },
    /// `after` edges that form a cycle.
    #[error("dependency cycle between tips: {}", .tips.join(", "))]
    Cycle {
        /// Every tip on the cycle, sorted.
        tips: Vec<String>,
    },
    /// A tip no rule recommends.
    #[error("tip `{tip}` is recommended by no rule")]
    UnreachableTip {
        /// The tip.
        tip: String,
    },
    /// A question no rule reads.
    #[error("question `{question}` is read by no rule")]
    UnreadQuestion {
        /// The question.
        question: String,
    },
    /// A number literal that does not fit the place it stands in.
    #[error("number `{literal}` is too large: {what} is at most {limit}")]
    NumberTooLarge {
        /// The literal as written, shortened when long.
        literal: String,
        /// What the number is ("a level", "a number", ...).
        what: &'static str,
        /// The largest value allowed there.
        limit: String,
    },
    /// Something larger than a limit of the language (scale levels, declarations, ...).
    #[error("{what}, over the limit of {limit}")]
    OverLimit {
        /// What is too large, with its size.
        what: String,
        /// The limit.
        limit: String,
    },
    /// A rules file that is not valid UTF-8.
    #[error("not valid UTF-8: byte 0x{byte:02X} is no part of a UTF-8 character here")]
    NotUtf8 {
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// A rule set without a tip, which cannot advise anything.
    #[error("the rule set has no tip, so it can advise nothing")]
    EmptyRuleSet,
    /// More diagnostics than are reported.
    #[error("{more} more diagnostic(s) not shown; the first {shown} are")]
    TooManyDiagnostics {
        /// How many are shown.
        shown: usize,
        /// How many more were found.
        more: usize,
    },
    /// A file with so many syntax errors that the rest of it is not checked.
    #[error("more than {limit} syntax errors; the rest of the file is not checked")]
    TooManySyntaxErrors {
        /// How many syntax errors are reported per file.
        limit: usize,
    },
    /// A file among others that declares nothing.
    #[error("the file declares nothing")]
    EmptyFile,
}

impl DiagnosticKind {
    /// A stable code per kind, for tools that filter diagnostics.
    pub fn code(&self) -> &'static str {
        match self {
            DiagnosticKind::Syntax { .. } => "studentsucces::syntax",
            DiagnosticKind::TooDeep { .. } => "studentsucces::too_deep",
            DiagnosticKind::Unknown { .. } => "studentsucces::unknown",
            DiagnosticKind::Duplicate { .. } => "studentsucces::duplicate",
            DiagnosticKind::MissingPart { .. } => "studentsucces::missing_part",
            DiagnosticKind::Type { .. } => "studentsucces::type",
            DiagnosticKind::OutOfRange { .. } => "studentsucces::out_of_range",
            DiagnosticKind::Invalid { .. } => "studentsucces::invalid",
            DiagnosticKind::Cycle { .. } => "studentsucces::cycle",
            DiagnosticKind::UnreachableTip { .. } => "studentsucces::unreachable_tip",
            DiagnosticKind::UnreadQuestion { .. } => "studentsucces::unread_question",
            DiagnosticKind::NumberTooLarge { .. } => "studentsucces::number_too_large",
            DiagnosticKind::OverLimit { .. } => "studentsucces::limit",
            DiagnosticKind::NotUtf8 { .. } => "studentsucces::not_utf8",
            DiagnosticKind::EmptyRuleSet => "studentsucces::empty_rule_set",
            DiagnosticKind::EmptyFile => "studentsucces::empty_file",
            DiagnosticKind::TooManyDiagnostics { .. } => "studentsucces::too_many_diagnostics",
            DiagnosticKind::TooManySyntaxErrors { .. } => "studentsucces::too_many_syntax_errors",
        }
    }

    /// Warnings leave the rule set usable; everything else is an error.
    pub fn severity(&self) -> Severity {
        match self {
            DiagnosticKind::UnreachableTip { .. }
            | DiagnosticKind::UnreadQuestion { .. }
            | DiagnosticKind::EmptyFile
            | DiagnosticKind::TooManyDiagnostics { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// A line and column, both counted from 1; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineColumn {
    /// Line number.
    pub line: usize,
    /// Column number.
    pub column: usize,
}

impl LineColumn {
    /// The line and column of a byte offset in `text`.
    pub fn of(text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = text.get(..offset).unwrap_or_default();
        let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |newline| newline + 1);
        let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        LineColumn {
            line: memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1,
            column,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One finding of the compiler, located in a source file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// What is wrong.
    pub kind: DiagnosticKind,
    /// The file it is in.
    pub file: Arc<SourceFile>,
    /// The offending text.
    pub span: Span,
    /// The label under the caret.
    pub label: String,
    /// A hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `kind` at `span` in `file`, labelled `label`.
    pub fn new(
        kind: DiagnosticKind,
        file: &Arc<SourceFile>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            file: Arc::clone(file),
            span,
            label: label.into(),
            help: None,
        }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// Where the span starts.
    pub fn location(&self) -> LineColumn {
        LineColumn::of(&self.file.text, self.span.start)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.location();
        let message = self.kind.to_string();
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.name,
            at.line,
            at.column,
            snippet::clip(&message)
        )
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.kind.severity() {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(snippet::clip(help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.file.as_ref())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        // A long span is underlined from its start only, and a long line shown in part.
        let underlined = snippet::underlined(&self.file.text, &self.span);
        let mut label = snippet::clip(&self.label).into_owned();
        if snippet::in_long_line(&self.file.text, &underlined) {
            label.push_str(" (long line shown in part)");
        }
        let span = miette::SourceSpan::from(underlined);
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(label), span),
        )))
    }
}

impl miette::SourceCode for SourceFile {
    /// The source around a span; a long line is shown as a window around the span.
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        snippet::read_span(self, span, context_lines_before, context_lines_after)
    }
}

/// Every diagnostic of one compilation, errors and warnings, in source order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0
            .iter()
            .any(|diagnostic| diagnostic.severity() == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0
            .iter()
            .filter(|diagnostic| diagnostic.severity() == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0
            .iter()
            .filter(|diagnostic| diagnostic.severity() == Severity::Warning)
    }

    /// Renders every diagnostic as miette draws it, without colour, for terminals and logs.
    pub fn render_plain(&self) -> String {
        render(&self.0, miette::GraphicalTheme::unicode_nocolor())
    }
}

/// Renders diagnostics with miette's graphical handler and the given theme.
pub fn render(diagnostics: &[Diagnostic], theme: miette::GraphicalTheme) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for diagnostic in diagnostics {
        // Writing into a String cannot fail; a failure would only drop this diagnostic's art.
        let _ = handler.render_report(&mut out, diagnostic);
    }
    out
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = name.chars().count();
    let limit = (length / 3).clamp(1, 4);
    // Lengths further apart than the limit cannot be within it: skip the edit distance,
    // which costs the product of the lengths (a megabyte of name must not take minutes).
    candidates
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| (strsim::levenshtein(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::{closest, LineColumn};

    #[test]
    fn line_and_column_count_characters_from_one() {
        let text = "ab\ncé d\n";
        assert_eq!(LineColumn::of(text, 0), LineColumn { line: 1, column: 1 });
        assert_eq!(LineColumn::of(text, 3), LineColumn { line: 2, column: 1 });
        // `d` follows the two-byte `é`: byte 7, character column 4.
        assert_eq!(LineColumn::of(text, 7), LineColumn { line: 2, column: 4 });
        // An offset inside a character counts as that character.
        assert_eq!(LineColumn::of(text, 5), LineColumn { line: 2, column: 2 });
        assert_eq!(LineColumn::of(text, 999), LineColumn { line: 3, column: 1 });
    }

    #[test]
    fn suggestions_only_for_plausible_typos() {
        let candidates = ["toetsing.frequentie", "visie.vertaling"];
        assert_eq!(
            closest("toetsing.frekwentie", candidates.into_iter()),
            Some("toetsing.frequentie")
        );
        assert_eq!(closest("curriculum", candidates.into_iter()), None);
    }

    #[test]
    fn a_megabyte_long_name_gets_no_suggestion_and_costs_no_edit_distance() {
        let long = "x".repeat(1_000_000);
        let candidates: Vec<String> = (0..10_000).map(|n| format!("factor.tip{n}")).collect();
        assert_eq!(closest(&long, candidates.iter().map(String::as_str)), None);
    }
}
