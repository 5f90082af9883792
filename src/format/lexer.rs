//! A lexer that loses nothing the formatter must keep: words, strings (verbatim, quotes
//! and escapes included), punctuation and comments, each with the line breaks and
//! spaces before it. It accepts any text; the formatter only runs on files that parse.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A keyword, identifier, path, glob, placeholder or number.
    Word,
    /// A string literal, quotes included.
    Str,
    /// A `//` comment up to the end of its line, trailing whitespace dropped.
    Comment,
    /// An operator or punctuation mark: `{ } ( ) [ ] , : .. = != < <= > >= + - * /`.
    Punct,
}

/// One token and the whitespace before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token<'a> {
    /// What it is.
    pub kind: Kind,
    /// Its text.
    pub text: &'a str,
    /// Its byte offset in the file.
    pub start: usize,
    /// How many line breaks come between the previous token and this one.
    pub newlines: usize,
    /// How many spaces or tabs come before it on its own line.
    pub spaces: usize,
}

impl Token<'_> {
    /// Whether this is the punctuation mark `mark`.
    pub fn is(&self, mark: &str) -> bool {
        self.kind == Kind::Punct && self.text == mark
    }
}

/// Splits `text` into tokens.
pub(super) fn lex(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut newlines = 0;
    let mut spaces = 0;
    while let Some(rest) = text.get(position..) {
        let Some(first) = rest.chars().next() else {
            break;
        };
        let (kind, length) = match first {
            '\n' => {
                newlines += 1;
                spaces = 0;
                position += 1;
                continue;
            }
            ' ' | '\t' | '\r' => {
                spaces += 1;
                position += 1;
                continue;
            }
            '/' if rest.starts_with("//") => (Kind::Comment, rest.find('\n').unwrap_or(rest.len())),
            '"' => (Kind::Str, string_length(rest)),
            c if c.is_ascii_alphanumeric() || c == '_' || c == '$' => {
                (Kind::Word, word_length(rest))
            }
            _ => {
                let two = ["<=", ">=", "!=", ".."]
                    .iter()
                    .any(|mark| rest.starts_with(mark));
                (Kind::Punct, if two { 2 } else { first.len_utf8() })
            }
        };
        let raw = rest.get(..length).unwrap_or(rest);
        let token_text = if kind == Kind::Comment {
            raw.trim_end()
        } else {
            raw
        };
        tokens.push(Token {
            kind,
            text: token_text,
            start: position,
            newlines,
            spaces,
        });
        newlines = 0;
        spaces = 0;
        position += raw.len().max(1);
    }
    tokens
}

/// The length of the string literal at the start of `rest` (which starts with `"`):
/// up to its closing quote, or to the end of the line when it has none.
fn string_length(rest: &str) -> usize {
    let mut escaped = false;
    for (offset, c) in rest.char_indices().skip(1) {
        match c {
            '\n' => return offset,
            '"' if !escaped => return offset + 1,
            '\\' if !escaped => escaped = true,
            _ => escaped = false,
        }
    }
    rest.len()
}

/// The length of the word at the start of `rest`: an identifier, a dotted path (with a
/// trailing `.*` for a glob), a placeholder or a number with its decimals. A `..`
/// range is not part of it.
fn word_length(rest: &str) -> usize {
    let numeric = rest.starts_with(|c: char| c.is_ascii_digit());
    let bytes = rest.as_bytes();
    let mut end = 1;
    while let Some(&byte) = bytes.get(end) {
        let next = bytes.get(end + 1).copied().unwrap_or(b' ');
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            end += 1;
        } else if byte == b'.' && next == b'*' && !numeric {
            return end + 2;
        } else if byte == b'.'
            && (next.is_ascii_alphabetic() || next == b'_' || (numeric && next.is_ascii_digit()))
        {
            end += 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        lex(text).iter().map(|token| token.text).collect()
    }

    #[test]
    fn words_ranges_globs_and_operators() {
        assert_eq!(
            texts("scale s 0..4 { 1.5 a.b avg($section.*) x<=-2 kort..midden }"),
            [
                "scale",
                "s",
                "0",
                "..",
                "4",
                "{",
                "1.5",
                "a.b",
                "avg",
                "(",
                "$section.*",
                ")",
                "x",
                "<=",
                "-",
                "2",
                "kort",
                "..",
                "midden",
                "}"
            ]
        );
    }

    #[test]
    fn strings_and_comments_are_kept_verbatim() {
        let tokens = lex("text \"a \\\" // b\"  // c  \r\n\n  x");
        assert_eq!(tokens[1].text, "\"a \\\" // b\"");
        assert_eq!(tokens[2].kind, Kind::Comment);
        assert_eq!(tokens[2].text, "// c");
        assert_eq!(tokens[2].spaces, 2);
        assert_eq!((tokens[3].newlines, tokens[3].spaces), (2, 2));
    }

    #[test]
    fn anything_lexes_without_losing_text() {
        let text = "é \"open\n ! ~ ..5 1.x";
        let joined: String = texts(text).concat();
        let without_space: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(joined, without_space);
    }
}
