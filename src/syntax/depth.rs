//! A scan of the raw text for nesting the parser would recurse on: brackets and runs of
//! prefix operators. pest recurses once per level and has no limit of its own.

use std::sync::Arc;

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
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut index = start + 1;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'\\' => index += 1,
            b'"' | b'\n' => return index,
            _ => {}
        }
        index += 1;
    }
    index
}

fn skip_line(bytes: &[u8], start: usize) -> usize {
    bytes
        .iter()
        .skip(start)
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| start + n)
}
