//! Everything the command line says on stderr goes through here, for two reasons. A
//! closed stderr (`advise bad.csv 2>&1 >/dev/null | head -1`) is the reader's choice,
//! like a closed stdout: what cannot be written is dropped and the run goes on with the
//! exit code it would have had (`eprintln!` would panic). And messages quote user
//! input (paths, programme ids, values read), so control characters are escaped: an
//! ESC in a programme id must not steer the terminal.

use std::fmt::Display;
use std::io::Write as _;

use studentsucces::report::{escape_controls, escape_controls_but_newlines};

/// `error: MESSAGE` on a line of its own.
pub(super) fn error(message: impl Display) {
    line(&format!("error: {message}"));
}

/// `help: MESSAGE` on a line of its own.
pub(super) fn help(message: impl Display) {
    line(&format!("help: {message}"));
}

/// A line (or lines) of text; control characters other than line feeds escaped.
pub(super) fn line(text: &str) {
    let mut text = escape_controls_but_newlines(text).into_owned();
    text.push('\n');
    write(text.as_bytes());
}

/// One line that quotes user input: every control character escaped, line feeds
/// too, so that the message stays on one line.
pub(super) fn one_line(text: &str) {
    let mut text = escape_controls(text).into_owned();
    text.push('\n');
    write(text.as_bytes());
}

/// Rendered diagnostics (miette's art). With `colours`, the colour sequences (SGR:
/// `ESC [ digits ; ... m`) that the renderer writes are kept; every other control
/// character but the line feed is escaped, whatever the rules' text holds.
pub(super) fn diagnostics(rendered: &str, colours: bool) {
    let text = if colours {
        escape_keeping_colours(rendered)
    } else {
        escape_controls_but_newlines(rendered).into_owned()
    };
    write(text.as_bytes());
}

fn write(bytes: &[u8]) {
    let mut stderr = std::io::stderr().lock();
    // A closed or full stderr is not a reason to stop: the message is dropped.
    let _ = stderr.write_all(bytes);
    let _ = stderr.flush();
}

/// `text` with SGR sequences kept and other control characters (but `\n`) escaped.
fn escape_keeping_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, from_escape)) = rest
        .find('\u{1b}')
        .and_then(|start| rest.split_at_checked(start))
    {
        out.push_str(&escape_controls_but_newlines(before));
        let length = sgr_length(from_escape);
        // An ESC is one byte, and an SGR sequence is ASCII: both split cleanly.
        let Some((sequence, after)) = from_escape.split_at_checked(length.max(1)) else {
            break;
        };
        match length {
            0 => out.push_str(&escape_controls(sequence)),
            _ => out.push_str(sequence),
        }
        rest = after;
    }
    out.push_str(&escape_controls_but_newlines(rest));
    out
}

/// The length in bytes of the SGR sequence `text` starts with; 0 when it starts with
/// anything else.
fn sgr_length(text: &str) -> usize {
    let Some(parameters) = text.strip_prefix("\u{1b}[") else {
        return 0;
    };
    let digits = parameters
        .bytes()
        .take_while(|byte| byte.is_ascii_digit() || *byte == b';')
        .count();
    match parameters.as_bytes().get(digits) {
        Some(b'm') => 2 + digits + 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_kept_and_other_sequences_escaped() {
        assert_eq!(
            escape_keeping_colours("\u{1b}[31;1mfout\u{1b}[0m\n"),
            "\u{1b}[31;1mfout\u{1b}[0m\n"
        );
        assert_eq!(
            escape_keeping_colours("a\u{1b}]0;titel\u{7}b\u{1b}[2J\rc\u{1b}"),
            "a\\u{1b}]0;titel\\u{7}b\\u{1b}[2J\\rc\\u{1b}"
        );
    }
}
