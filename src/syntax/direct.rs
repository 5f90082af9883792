//! A direct reading of the grammar for the common case, a file without syntax errors:
//! one pass over the bytes that builds the syntax tree as it goes, with none of pest's
//! per-call bookkeeping (its call-limit tracker and stack probe, its attempt tracking
//! for error messages, its token queue and line index).
//!
//! It follows `grammar/studentsucces.pest` rule by rule: ordered choice tried in the
//! grammar's order, the implicit whitespace and comments between the tokens of the
//! non-atomic rules (including where a non-atomic rule's span takes in the skip before an
//! optional part that did not match), and the spans the builders in `build` and `expr`
//! take from pest's pairs. It refuses, rather than reports, anything else: a syntax
//! error, a number literal that does not fit, an expression nested too deep. `parse`
//! then runs pest on the file, so every diagnostic still comes from pest and the builders,
//! exactly as before. What it accepts, pest accepts with the same tree (the
//! differential tests in `direct_tests`).

use memchr::memchr;

use super::ast::*;
use super::build::unescape;
use super::MAX_NESTING;

/// The syntax tree of `text`, or `None` when the file has a syntax error or anything
/// else pest and the builders would report (pest is then asked).
pub(super) fn parse_file(text: &str) -> Option<File> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        position: 0,
        refused: false,
    };
    let mut declarations = Vec::new();
    loop {
        reader.skip();
        if reader.position == reader.bytes.len() {
            break;
        }
        declarations.push(reader.declaration()?);
    }
    (!reader.refused).then_some(File { declarations })
}

/// The text being read and where the reading stands.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    position: usize,
    /// Set when the grammar matched but a builder would have reported something (a
    /// number literal too large, an expression too deep): the tree is then not returned.
    refused: bool,
}

/// The words `ident` refuses (`keyword` in the grammar).
const KEYWORDS: [&str; 14] = [
    "and",
    "or",
    "not",
    "in",
    "yes",
    "no",
    "true",
    "false",
    "missing",
    "when",
    "recommend",
    "raise",
    "priority",
    "because",
];

/// `ident_char`: an ASCII letter or digit, or `_`.
fn is_ident_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// An expression and how deep its tree is, as `expr` builds them.
type Built = (Expr, usize);

impl<'t> Reader<'t> {
    // ---- Lexical pieces -------------------------------------------------------------

    /// The implicit skip between the tokens of a non-atomic rule: runs of blanks and
    /// `//` comments up to (not including) the line end.
    fn skip(&mut self) {
        loop {
            while self
                .peek()
                .is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'\r' | b'\n'))
            {
                self.position += 1;
            }
            if !self.rest().starts_with(b"//") {
                return;
            }
            let after = self.position + 2;
            let line_end = memchr(b'\n', self.bytes.get(after..).unwrap_or_default())
                .map_or(self.bytes.len(), |at| after + at);
            self.position = line_end;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn rest(&self) -> &'t [u8] {
        self.bytes.get(self.position..).unwrap_or_default()
    }

    /// The text of `span`.
    // INVARIANT: every position the reader stands at is a character boundary: it steps
    // over ASCII bytes only and searches only for ASCII bytes. Should that ever break,
    // the file is refused (and pest reads it) instead of a panic.
    fn slice(&mut self, span: Span) -> &'t str {
        self.text.get(span).unwrap_or_else(|| {
            self.refused = true;
            ""
        })
    }

    /// Matches `literal` exactly (the grammar's quoted strings).
    fn literal(&mut self, literal: &str) -> bool {
        let matched = self.rest().starts_with(literal.as_bytes());
        if matched {
            self.position += literal.len();
        }
        matched
    }

    /// Matches `word ~ !ident_char`.
    fn word(&mut self, word: &str) -> bool {
        let end = self.position + word.len();
        let matched = self.rest().starts_with(word.as_bytes())
            && !self.bytes.get(end).copied().is_some_and(is_ident_char);
        if matched {
            self.position = end;
        }
        matched
    }

    /// `skip` and then `literal`; on failure the position is where it was.
    fn skip_literal(&mut self, literal: &str) -> bool {
        let start = self.position;
        self.skip();
        let matched = self.literal(literal);
        if !matched {
            self.position = start;
        }
        matched
    }

    fn name_from(&mut self, start: usize) -> Name {
        Name {
            text: self.slice(start..self.position).to_owned(),
            span: start..self.position,
        }
    }

    /// The end of the identifier starting at the position, without moving: `None` when
    /// none starts there or it is a keyword.
    fn ident_end(&self) -> Option<usize> {
        let first = self.peek()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let length = self
            .rest()
            .iter()
            .take_while(|&&byte| is_ident_char(byte))
            .count();
        let end = self.position + length;
        let word = self.rest().get(..length)?;
        (!KEYWORDS.iter().any(|keyword| keyword.as_bytes() == word)).then_some(end)
    }

    /// `ident`.
    fn ident(&mut self) -> Option<Name> {
        let start = self.position;
        self.position = self.ident_end()?;
        Some(self.name_from(start))
    }

    /// `path`: identifiers joined by dots, without blanks.
    fn path_end(&mut self) -> Option<()> {
        self.position = self.ident_end()?;
        while self.peek() == Some(b'.') {
            self.position += 1;
            match self.ident_end() {
                Some(end) => self.position = end,
                None => {
                    self.position -= 1;
                    break;
                }
            }
        }
        Some(())
    }

    fn path(&mut self) -> Option<Name> {
        let start = self.position;
        self.path_end().or_else(|| {
            self.position = start;
            None
        })?;
        Some(self.name_from(start))
    }

    /// `placeholder`: `$` and an identifier.
    fn placeholder_end(&mut self) -> Option<()> {
        if self.peek() != Some(b'$') {
            return None;
        }
        self.position += 1;
        match self.ident_end() {
            Some(end) => {
                self.position = end;
                Some(())
            }
            None => {
                self.position -= 1;
                None
            }
        }
    }

    fn digits(&mut self) -> usize {
        let count = self
            .rest()
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        self.position += count;
        count
    }

    /// `integer`.
    fn integer(&mut self) -> Option<Span> {
        let start = self.position;
        (self.digits() > 0).then_some(start..self.position)
    }

    /// `number`: digits with an optional fraction.
    fn number_end(&mut self) -> Option<()> {
        if self.digits() == 0 {
            return None;
        }
        let before_dot = self.position;
        if self.literal(".") && self.digits() == 0 {
            self.position = before_dot;
        }
        Some(())
    }

    /// `signed_number`.
    fn signed_number(&mut self) -> Option<Span> {
        let start = self.position;
        self.literal("-");
        if self.number_end().is_none() {
            self.position = start;
            return None;
        }
        Some(start..self.position)
    }

    /// `string`: its unescaped text and its span, quotes included.
    fn string(&mut self) -> Option<Text> {
        let start = self.position;
        if !self.literal("\"") {
            return None;
        }
        loop {
            let run = self
                .rest()
                .iter()
                .position(|&byte| matches!(byte, b'"' | b'\\' | b'\n'));
            let Some(run) = run else {
                self.position = start;
                return None;
            };
            self.position += run;
            match self.peek() {
                Some(b'"') => break,
                Some(b'\\')
                    if matches!(self.bytes.get(self.position + 1), Some(b'"' | b'\\' | b'n')) =>
                {
                    self.position += 2;
                }
                _ => {
                    self.position = start;
                    return None;
                }
            }
        }
        let body = self.slice(start + 1..self.position);
        self.position += 1;
        Some(Text {
            value: unescape(body),
            span: start..self.position,
        })
    }

    // ---- Numbers as the builders read them -------------------------------------------

    /// A finite `f64` as `build::number_value` reads it; a literal it would report is
    /// refused.
    fn float(&mut self, span: &Span) -> f64 {
        let value: f64 = self.slice(span.clone()).parse().unwrap_or(f64::NAN);
        if !value.is_finite() {
            self.refused = true;
        }
        value
    }

    fn spanned_float(&mut self, span: Span) -> Spanned<f64> {
        let value = self.float(&span);
        Spanned { value, span }
    }

    /// An `integer` that must fit `T`, as `build_integer` and `build_u32` read it.
    fn whole<T: std::str::FromStr + Default>(&mut self) -> Option<Spanned<T>> {
        let span = self.integer()?;
        let value = self.slice(span.clone()).parse().unwrap_or_else(|_| {
            self.refused = true;
            T::default()
        });
        Some(Spanned { value, span })
    }
}

mod declarations;
mod expressions;
