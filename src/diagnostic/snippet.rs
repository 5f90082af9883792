//! What a rendered diagnostic shows of the source: a window around the span when lines
//! are long, and messages with over-long words cut, so no diagnostic prints more than a
//! few hundred characters per line, whatever the file holds.

use std::borrow::Cow;
use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode as _, SourceSpan, SpanContents};

use super::{LineColumn, SourceFile};

/// A source line longer than this many bytes is shown as a window around the span.
pub(crate) const LONG_LINE: usize = 200;

/// Bytes shown on either side of the span in a window.
const MARGIN: usize = 60;

/// The most bytes of a span that are underlined; the location is its start.
const UNDERLINED: usize = 80;

/// Words (user input such as ids and literals) longer than this are cut in messages.
const LONG_WORD: usize = 60;

/// Messages, labels and help longer than this many characters are cut in the middle.
const LONG_MESSAGE: usize = 400;

/// The part of `span` that is underlined: at most [`UNDERLINED`] bytes from its start.
pub(super) fn underlined(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = span.end.clamp(start, text.len()).min(start + UNDERLINED);
    start..ceil_char_boundary(text, end)
}

/// Whether the line(s) of `span` are too long to show whole.
pub(super) fn in_long_line(text: &str, span: &Range<usize>) -> bool {
    let lines = lines_of(text, span);
    lines.end - lines.start > LONG_LINE
}

/// The source around `span` for miette: as miette reads it when the lines are short
/// (context lines too, as long as they are short), else a window of the span's line.
pub(super) fn read_span<'a>(
    file: &'a SourceFile,
    span: &SourceSpan,
    before: usize,
    after: usize,
) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
    let text: &str = &file.text;
    let range = underlined(text, &(span.offset()..span.offset() + span.len()));
    if in_long_line(text, &range) {
        return Ok(Box::new(window(file, &range, before + after == 0)));
    }
    let contents = text.read_span(span, before, after)?;
    let (data_start, data_end) = (
        contents.span().offset(),
        contents.span().offset() + contents.span().len(),
    );
    // Context lines are kept only while they are short: the data is cut to them.
    let lines = lines_of(text, &range);
    let start = data_start.max(short_context_start(text, lines.start, before));
    let end = data_end.min(short_context_end(text, lines.end, after));
    let data = text.get(start..end).unwrap_or_default();
    let skipped_lines = text
        .get(data_start..start)
        .unwrap_or_default()
        .matches('\n')
        .count();
    // miette counts the column in bytes; the diagnostic's own location counts characters.
    let column = match before + after {
        0 => LineColumn::of(text, range.start).column - 1,
        _ => contents.column(),
    };
    Ok(Box::new(MietteSpanContents::new_named(
        file.name.clone(),
        data.as_bytes(),
        (start, data.len()).into(),
        contents.line() + skipped_lines,
        column,
        data.matches('\n').count() + 1,
    )))
}

/// A window of at most `MARGIN + UNDERLINED + MARGIN` bytes of the span's line, starting
/// at the span itself when `from_span` (miette's reference point for line and column).
fn window<'a>(
    file: &'a SourceFile,
    range: &Range<usize>,
    from_span: bool,
) -> MietteSpanContents<'a> {
    let text: &str = &file.text;
    let lines = lines_of(text, range);
    let start = match from_span {
        true => range.start,
        false => floor_char_boundary(text, range.start.saturating_sub(MARGIN).max(lines.start)),
    };
    let end = ceil_char_boundary(text, (range.end + MARGIN).min(lines.end));
    let data = text.get(start..end).unwrap_or_default();
    let at = LineColumn::of(text, start);
    MietteSpanContents::new_named(
        file.name.clone(),
        data.as_bytes(),
        (start, data.len()).into(),
        at.line - 1,
        at.column - 1,
        data.matches('\n').count() + 1,
    )
}

/// From the start of the first line of `range` to the end of its last line.
fn lines_of(text: &str, range: &Range<usize>) -> Range<usize> {
    let before = text.get(..range.start).unwrap_or_default();
    let start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let after = text.get(range.end..).unwrap_or_default();
    let end = after
        .find('\n')
        .map_or(text.len(), |newline| range.end + newline);
    start..end
}

/// Where the context before the line starting at `line_start` begins: up to `wanted`
/// lines back, stopping before the first long one.
fn short_context_start(text: &str, line_start: usize, wanted: usize) -> usize {
    let mut start = line_start;
    for _ in 0..wanted {
        let Some(before) = start.checked_sub(1).and_then(|end| text.get(..end)) else {
            break;
        };
        let previous = before.rfind('\n').map_or(0, |newline| newline + 1);
        if before.len() - previous > LONG_LINE {
            break;
        }
        start = previous;
    }
    start
}

/// Where the context after the line ending at `line_end` ends (its line break
/// included): up to `wanted` lines on, stopping before the first long one.
fn short_context_end(text: &str, line_end: usize, wanted: usize) -> usize {
    let mut end = line_end;
    for _ in 0..wanted {
        let Some(after) = text.get(end + 1..) else {
            break;
        };
        let next = after
            .find('\n')
            .map_or(text.len(), |newline| end + 1 + newline);
        if next - (end + 1) > LONG_LINE {
            break;
        }
        end = next;
    }
    (end + 1).min(text.len())
}

/// `text` with every word longer than [`LONG_WORD`] characters cut in the middle, and
/// the whole cut in the middle when longer than [`LONG_MESSAGE`] characters.
pub(crate) fn clip(text: &str) -> Cow<'_, str> {
    let has_long_word = text
        .split_whitespace()
        .any(|word| word.chars().nth(LONG_WORD).is_some());
    if !has_long_word && text.chars().nth(LONG_MESSAGE).is_none() {
        return Cow::Borrowed(text);
    }
    let words: Vec<String> = text
        .split(' ')
        .map(|word| cut_middle(word, LONG_WORD))
        .collect();
    Cow::Owned(cut_middle(&words.join(" "), LONG_MESSAGE))
}

/// `text` whole when at most `limit` characters, else its start, `…` and its end.
fn cut_middle(text: &str, limit: usize) -> String {
    let length = text.chars().count();
    if length <= limit {
        return text.to_owned();
    }
    let tail = limit / 4;
    let head: String = text.chars().take(limit - tail - 1).collect();
    let end: String = text.chars().skip(length - tail).collect();
    format!("{head}…{end}")
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::{clip, underlined};

    #[test]
    fn long_words_and_long_messages_are_cut_in_the_middle() {
        assert_eq!(clip("unknown tip `f.a`"), "unknown tip `f.a`");
        let long = format!("unknown tip `{}`", "x".repeat(1000));
        let clipped = clip(&long);
        assert!(clipped.starts_with("unknown tip `xxx"));
        assert!(clipped.ends_with("xxx`"));
        assert!(clipped.contains('…'));
        assert_eq!(clipped.chars().count(), "unknown tip ".len() + 60);
        let many = "woord ".repeat(1000);
        assert_eq!(clip(&many).chars().count(), 400);
    }

    #[test]
    fn the_underlined_part_is_bounded_and_on_character_boundaries() {
        let text = format!("é{}", "a".repeat(500));
        assert_eq!(underlined(&text, &(1..300)), 0..80);
        let reversed = std::ops::Range { start: 10, end: 5 };
        assert_eq!(underlined(&text, &reversed), 10..10);
        assert_eq!(underlined(&text, &(900..950)), 502..502);
    }
}
