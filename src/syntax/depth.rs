//! A scan of the raw text for nesting the parser would recurse on: brackets and runs of
//! prefix operators. pest recurses once per level and has no limit of its own.

use std::sync::Arc;

use memchr::{memchr, memchr3};

use super::{too_deep, MAX_NESTING};
use crate::diagnostic::{Diagnostic, SourceFile};

/// Rejects text whose brackets or prefix-operator runs nest deeper than [`MAX_NESTING`].
pub(super) fn check_nesting(file: &Arc<SourceFile>) -> Result<(), Vec<Diagnostic>> {
    let bytes = file.text.as_bytes();
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'"' => index = skip_string(bytes, index),
            b'/' if bytes.get(index + 1) == Some(&b'/') => index = skip_line(bytes, index),
            b'(' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(vec![too_deep(file, index..index + 1)]);
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'-' => prefix_run += 1,
            b'n' if is_word(bytes, index, b"not") => {
                prefix_run += 1;
                index += 2;
            }
            byte if byte.is_ascii_whitespace() => {}
            _ => prefix_run = 0,
        }
        if prefix_run > MAX_NESTING {
            return Err(vec![too_deep(file, index..index + 1)]);
        }
        index += 1;
    }
    Ok(())
}

fn is_word(bytes: &[u8], index: usize, word: &[u8]) -> bool {
    let is_ident =
        |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    bytes.get(index..index + word.len()) == Some(word)
        && !is_ident(index.checked_sub(1).and_then(|before| bytes.get(before)))
        && !is_ident(bytes.get(index + word.len()))
}

/// Returns the index of the closing quote (or the end of the line for an unterminated one).
/// A string is most of the Roadmap's text, so its end is found by `memchr`, not byte by byte.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut index = start + 1;
    while let Some(found) = bytes
        .get(index..)
        .and_then(|rest| memchr3(b'"', b'\\', b'\n', rest))
    {
        index += found;
        if bytes.get(index) != Some(&b'\\') {
            return index;
        }
        index += 2;
    }
    bytes.len()
}

fn skip_line(bytes: &[u8], start: usize) -> usize {
    bytes
        .get(start..)
        .and_then(|rest| memchr(b'\n', rest))
        .map_or(bytes.len(), |n| start + n)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{skip_line, skip_string};

    /// The byte-by-byte scan `skip_string` replaced, kept as its specification.
    fn skip_string_bytewise(bytes: &[u8], start: usize) -> usize {
        let mut index = start + 1;
        while let Some(&byte) = bytes.get(index) {
            match byte {
                b'\\' => index += 1,
                b'"' | b'\n' => return index,
                _ => {}
            }
            index += 1;
        }
        bytes.len()
    }

    proptest! {
        #[test]
        fn skipping_a_string_by_memchr_agrees_with_the_bytewise_scan(
            text in proptest::collection::vec(prop_oneof![
                Just(b'"'), Just(b'\\'), Just(b'\n'), Just(b'a'), Just(b'/')
            ], 0..40),
            start in 0usize..40,
        ) {
            let start = start.min(text.len());
            let mut with_quote = text.clone();
            with_quote.insert(start, b'"');
            prop_assert_eq!(
                skip_string(&with_quote, start),
                skip_string_bytewise(&with_quote, start)
            );
            let line_end = skip_line(&text, start);
            prop_assert!(line_end == text.len() || text[line_end] == b'\n');
            prop_assert!(!text[start..line_end].contains(&b'\n'));
        }
    }
}
