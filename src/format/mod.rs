//! Canonical layout of rules files (`studentsucces fmt`), keeping every comment and
//! every string byte for byte.
//!
//! The formatter works on tokens, not on the syntax tree, because the tree drops
//! comments: a lexer that keeps comments and strings verbatim gives the tokens, and the
//! grammar's structure (`syntax::layout`: where declarations and block items
//! start) decides the line breaks and indentation. Only a file without syntax
//! diagnostics is formatted, so the tokens are those pest read, and since whitespace
//! between tokens carries no meaning in the language, the result means the same.
//!
//! The style (`docs/language.md`, "Layout"):
//! - a declaration starts a line in column 1; each item of a block starts a line
//!   indented 4 spaces per open brace; a line that continues an item or declaration is
//!   indented 4 more; `{` ends the declaration's first line, `}` has a line of its own;
//! - a block with at most one item, written on one line, stays on one line
//!   (`theme orientatie "Oriëntatie" { number 1 }`), and an empty one is `{}`;
//! - line breaks inside an item are kept where they were written (a long list or
//!   expression stays wrapped as its author wrapped it), and no line is reflowed;
//! - one space between tokens, none inside `( )` and `[ ]`, before `,` and `:`, around
//!   `..`, between a function and its `(` or after a unary `-`;
//! - at most one blank line in a row, none after `{` or before `}`, and one blank line
//!   between two declarations when either spans several lines (consecutive one-line
//!   declarations such as stakeholders, params and questions may stand together);
//! - a comment keeps its text (trailing whitespace dropped) and its line: a comment on a
//!   line of its own is indented like the line after it, and one after code keeps the
//!   spaces before it;
//! - no trailing whitespace, line feeds only, no byte-order mark, one final newline.

mod lexer;

use std::collections::HashSet;
use std::sync::Arc;

use lexer::{lex, Kind, Token};

use crate::diagnostic::{Diagnostics, SourceFile};
use crate::syntax::{layout, DeclarationLayout};

/// Spaces per level of indentation.
const INDENT: usize = 4;

/// The functions of the language, written without a space before their `(`.
const FUNCTIONS: [&str; 7] = [
    "avg", "min", "max", "count", "answered", "missing", "coalesce",
];

/// Words after which a `-` is a sign (unary), not a subtraction.
const SIGN_AFTER: [&str; 7] = ["and", "or", "not", "when", "priority", "by", "number"];

/// The canonical form of one rules file, or its syntax diagnostics when it does not
/// parse. `name` names the file in the diagnostics.
///
/// ```
/// let formatted = studentsucces::format::format_rules(
///     "example.rules",
///     "stakeholder a \"A\"  // the lead\ntip  a.x{text \"Een tip.\"   lead a}",
/// )
/// .unwrap();
/// assert_eq!(
///     formatted,
///     "stakeholder a \"A\"  // the lead\n\ntip a.x {\n    text \"Een tip.\"\n    lead a\n}\n"
/// );
/// ```
pub fn format_rules(name: &str, text: &str) -> Result<String, Diagnostics> {
    format_source(&Arc::new(SourceFile::new(name, text)))
}

/// The canonical form of a rules source, or its syntax diagnostics (as `check` reports
/// them) when it does not parse. Formatting the result again gives the same text.
pub fn format_source(file: &Arc<SourceFile>) -> Result<String, Diagnostics> {
    let declarations = layout(file).map_err(Diagnostics)?;
    Ok(render(&file.text, &declarations))
}

/// Whether `file` is already in its canonical form; `None` when it does not parse.
pub fn is_formatted(file: &Arc<SourceFile>) -> Option<bool> {
    format_source(file)
        .ok()
        .map(|formatted| *formatted == *file.text)
}

/// What the formatter knows about each token.
struct Shape {
    /// The brace depth before the token.
    depth: Vec<usize>,
    /// Whether the token starts a declaration.
    declaration_start: Vec<bool>,
    /// Whether the token starts an item of a block laid out one item per line.
    item_start: Vec<bool>,
    /// For `{` and `}`: whether their block stays on one line.
    single_line: Vec<bool>,
    /// The first token after this one that is no comment.
    next_code: Vec<Option<usize>>,
}

fn shape(tokens: &[Token<'_>], declarations: &[DeclarationLayout]) -> Shape {
    let declaration_starts: HashSet<usize> = declarations.iter().map(|d| d.span.start).collect();
    let item_starts: HashSet<usize> = declarations
        .iter()
        .flat_map(|d| d.items.iter().copied())
        .collect();
    let count = tokens.len();
    let mut shape = Shape {
        depth: vec![0; count],
        declaration_start: tokens
            .iter()
            .map(|token| token.kind != Kind::Comment && declaration_starts.contains(&token.start))
            .collect(),
        item_start: tokens
            .iter()
            .map(|token| token.kind != Kind::Comment && item_starts.contains(&token.start))
            .collect(),
        single_line: vec![false; count],
        next_code: vec![None; count],
    };
    let mut next = None;
    for (index, token) in tokens.iter().enumerate().rev() {
        if let Some(slot) = shape.next_code.get_mut(index) {
            *slot = next;
        }
        if token.kind != Kind::Comment {
            next = Some(index);
        }
    }
    // Match the braces (they appear only around blocks) and decide each block's layout.
    let mut open: Vec<usize> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if let Some(depth) = shape.depth.get_mut(index) {
            *depth = open.len();
        }
        if token.is("{") {
            open.push(index);
        } else if token.is("}") {
            let Some(start) = open.pop() else { continue };
            let inside = tokens.get(start + 1..index).unwrap_or_default();
            let items = (start + 1..index)
                .filter(|&i| shape.item_start.get(i).copied().unwrap_or(false))
                .count();
            let comments = inside.iter().any(|t| t.kind == Kind::Comment);
            let broken = inside.iter().any(|t| t.newlines > 0) || token.newlines > 0;
            let single = !comments && (items == 0 || (items == 1 && !broken));
            for i in [start, index] {
                if let Some(flag) = shape.single_line.get_mut(i) {
                    *flag = single;
                }
            }
            if single {
                for i in start + 1..index {
                    if let Some(flag) = shape.item_start.get_mut(i) {
                        *flag = false;
                    }
                }
            }
        }
    }
    shape
}

fn flag(flags: &[bool], index: usize) -> bool {
    flags.get(index).copied().unwrap_or(false)
}

/// Lays the tokens of a file that parsed out in the canonical style.
fn render(text: &str, declarations: &[DeclarationLayout]) -> String {
    let tokens = lex(text);
    let shape = shape(&tokens, declarations);
    let count = tokens.len();

    // Where lines break.
    let mut breaks = vec![false; count];
    for (index, pair) in tokens.windows(2).enumerate() {
        let [previous, token] = pair else { continue };
        let at = index + 1;
        let broken = if previous.kind == Kind::Comment {
            true
        } else if (token.kind == Kind::Comment && token.newlines == 0) || token.is("{") {
            // A trailing comment stays after its code; `{` ends its declaration's line.
            false
        } else if token.is("}") {
            !flag(&shape.single_line, at)
        } else if previous.is("{") {
            !flag(&shape.single_line, index)
        } else if flag(&shape.declaration_start, at) || flag(&shape.item_start, at) {
            true
        } else {
            token.newlines > 0
        };
        if let Some(slot) = breaks.get_mut(at) {
            *slot = broken;
        }
    }

    // Blank lines: kept (one) before a declaration, an item or a comment line, never
    // after `{` or before `}`; and one between declarations when either spans lines.
    let mut blanks: Vec<bool> = (0..count)
        .map(|at| {
            let Some(token) = tokens.get(at) else {
                return false;
            };
            let after_open = at > 0 && tokens.get(at - 1).is_some_and(|t| t.is("{"));
            flag(&breaks, at)
                && token.newlines >= 2
                && !after_open
                && (token.kind == Kind::Comment
                    || flag(&shape.declaration_start, at)
                    || flag(&shape.item_start, at))
        })
        .collect();
    // A declaration's span may take in the comments after it (pest skips them before
    // an optional part it then does not find): it ends at its last code token.
    let first_at = |offset: usize| tokens.partition_point(|t| t.start < offset);
    let spans: Vec<(usize, usize)> = declarations
        .iter()
        .map(|declaration| {
            let end = tokens
                .get(..first_at(declaration.span.end))
                .unwrap_or_default()
                .iter()
                .rev()
                .find(|t| t.kind != Kind::Comment)
                .map_or(declaration.span.end, |t| t.start + t.text.len());
            (declaration.span.start, end)
        })
        .collect();
    let spans_lines: Vec<bool> = spans
        .iter()
        .map(|&(start, end)| (first_at(start + 1)..first_at(end)).any(|at| flag(&breaks, at)))
        .collect();
    for (k, pair) in spans.windows(2).enumerate() {
        let [before, after] = pair else { continue };
        let needs_blank = flag(&spans_lines, k) || flag(&spans_lines, k + 1);
        let first_line = (first_at(before.1)..first_at(after.0 + 1)).find(|&at| flag(&breaks, at));
        if let (true, Some(at)) = (needs_blank, first_line) {
            if let Some(slot) = blanks.get_mut(at) {
                *slot = true;
            }
        }
    }

    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (at, token) in tokens.iter().enumerate() {
        if at == 0 {
            out.push_str(&" ".repeat(indent(&tokens, &shape, at)));
        } else if flag(&breaks, at) {
            out.push('\n');
            if flag(&blanks, at) {
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent(&tokens, &shape, at)));
        } else {
            let previous = tokens.get(at - 1);
            out.push_str(separator(&tokens, previous, token, at));
        }
        out.push_str(token.text);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The indentation of a line that starts with token `at`.
fn indent(tokens: &[Token<'_>], shape: &Shape, at: usize) -> usize {
    let Some(token) = tokens.get(at) else {
        return 0;
    };
    let depth = shape.depth.get(at).copied().unwrap_or(0);
    if token.kind == Kind::Comment {
        // Like the code line after it; before a `}`, like the block's items.
        return match shape.next_code.get(at).copied().flatten() {
            Some(next) if tokens.get(next).is_some_and(|t| t.is("}")) => {
                shape.depth.get(next).copied().unwrap_or(0) * INDENT
            }
            Some(next) => indent(tokens, shape, next),
            None => 0,
        };
    }
    if token.is("}") {
        depth.saturating_sub(1) * INDENT
    } else if flag(&shape.declaration_start, at) {
        0
    } else if flag(&shape.item_start, at) {
        depth * INDENT
    } else {
        depth * INDENT + INDENT
    }
}

/// What goes between two tokens on one line.
fn separator(
    tokens: &[Token<'_>],
    previous: Option<&Token<'_>>,
    token: &Token<'_>,
    at: usize,
) -> &'static str {
    let Some(previous) = previous else {
        return "";
    };
    if token.kind == Kind::Comment {
        return spaces(token.spaces.max(1));
    }
    let tight_before = [",", ":", ")", "]", ".."].iter().any(|mark| token.is(mark));
    let tight_after = ["(", "[", ".."].iter().any(|mark| previous.is(mark));
    let call = token.is("(") && previous.kind == Kind::Word && FUNCTIONS.contains(&previous.text);
    let empty_block = previous.is("{") && token.is("}");
    let sign = previous.is("-") && is_sign(tokens, at - 1);
    if tight_before || tight_after || call || empty_block || sign {
        ""
    } else {
        " "
    }
}

/// `count` spaces, for the few counts a trailing comment is written with.
fn spaces(count: usize) -> &'static str {
    const SPACES: &str = "                                                                ";
    SPACES.get(..count).unwrap_or(SPACES)
}

/// Whether the `-` at `at` is a sign: it follows no operand.
fn is_sign(tokens: &[Token<'_>], at: usize) -> bool {
    let before = tokens
        .get(..at)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|t| t.kind != Kind::Comment);
    match before {
        None => true,
        Some(t) if t.kind == Kind::Punct => !(t.is(")") || t.is("]") || t.is("}")),
        Some(t) if t.kind == Kind::Word => SIGN_AFTER.contains(&t.text),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format_rules("t.rules", text) {
            Ok(formatted) => formatted,
            Err(diagnostics) => panic!("{text:?} does not parse: {diagnostics}"),
        }
    }

    #[test]
    fn items_go_on_lines_of_their_own() {
        assert_eq!(
            fmt("rule r.x { when a.b<1 recommend r.x priority -5+2*(3- -1) because \"x\" }"),
            "rule r.x {\n    when a.b < 1\n    recommend r.x\n    priority -5 + 2 * (3 - -1)\n    because \"x\"\n}\n"
        );
    }

    #[test]
    fn one_item_on_one_line_stays_there() {
        let text = "theme a \"A\" { number 1 }\ntheme b \"B\" {number 2}\ntip b.x {}\n";
        assert_eq!(
            fmt(text),
            "theme a \"A\" { number 1 }\ntheme b \"B\" { number 2 }\ntip b.x {}\n"
        );
    }

    #[test]
    fn continuation_lines_are_indented_once_more() {
        let text =
            "factor f \"F\" {\nstakeholders a,\n  b\n  applies when x.y != z\nbecause \"r\"\n}";
        assert_eq!(
            fmt(text),
            "factor f \"F\" {\n    stakeholders a,\n        b\n    applies when x.y != z\n        because \"r\"\n}\n"
        );
    }

    #[test]
    fn comments_stay_on_their_lines() {
        let text = "  // head   \n\n\n\nparam p=-3 // trailing\n// before\nquestion q.a:number -5..5 \"Q\"\ntest \"t\" {\n// inside\ngiven q.a = -1 // why\n\n\n expect not x.y\n  // last\n}\n";
        assert_eq!(
            fmt(text),
            "// head\n\nparam p = -3 // trailing\n// before\nquestion q.a: number -5..5 \"Q\"\n\ntest \"t\" {\n    // inside\n    given q.a = -1 // why\n\n    expect not x.y\n    // last\n}\n"
        );
    }

    #[test]
    fn calls_lists_and_ranges_are_tight() {
        assert_eq!(
            fmt("question c.n : choice [ a \"A\" , b ] \"C\"\nscale s 0 .. 4 { 0 \"x\" }\nrule r.y { when avg ( x.* , $section.* ) >= 1 and c.n in [ a , b ] raise r.y by 2 }"),
            "question c.n: choice [a \"A\", b] \"C\"\nscale s 0..4 { 0 \"x\" }\n\nrule r.y {\n    when avg(x.*, $section.*) >= 1 and c.n in [a, b]\n    raise r.y by 2\n}\n"
        );
    }

    #[test]
    fn formatting_twice_changes_nothing() {
        let text = "stakeholder a \"A\"\ntip a.x { text \"T\" // c\n}\nparam p = 1\n\n\n// gap\nparam q = 2";
        let once = fmt(text);
        assert_eq!(fmt(&once), once);
        assert_eq!(
            once,
            "stakeholder a \"A\"\n\ntip a.x {\n    text \"T\" // c\n}\n\nparam p = 1\n\n// gap\nparam q = 2\n"
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_not_formatted() {
        let error = format_rules("t.rules", "tip a.x { text }").unwrap_err();
        assert!(error.has_errors());
        assert!(is_formatted(&Arc::new(SourceFile::new("t.rules", "tip"))).is_none());
    }

    #[test]
    fn empty_files_stay_empty() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n  \n"), "");
        assert_eq!(fmt("\u{feff}// only a comment\r\n"), "// only a comment\n");
    }
}
