//! The questionnaire as a Markdown document to read or print: the scales' legend, then
//! the questions under their section headings, each with a line for its comment.

use std::fmt::Write as _;

use super::{
    answer_choices, form_questions, form_title, number_hint, scale_choice, section_heading,
    FormLength, COMMENT_NOTE, SHORT_FORM_NOTE,
};
use crate::input::comment_column;
use crate::ruleset::{Question, QuestionKind, RuleSet, Scale};

/// The line a team writes its comment on.
const FILL_IN: &str = "________________________________________";

/// The questionnaire as a Markdown document, grouped by section.
pub fn questionnaire_markdown(ruleset: &RuleSet, length: FormLength) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", form_title(ruleset, length));
    if length == FormLength::Short {
        let _ = writeln!(out, "{SHORT_FORM_NOTE}\n");
    }
    let _ = writeln!(
        out,
        "Vul per opleiding één regel in (kolom `programme` is de code van de opleiding). \
        \"weet niet\" en \"n.v.t.\" tellen als niet beantwoord. {COMMENT_NOTE}\n"
    );
    for scale in ruleset.scales() {
        write_legend(&mut out, scale);
    }
    let mut current = String::new();
    for question in form_questions(ruleset, length) {
        let heading = section_heading(ruleset, question);
        if heading != current {
            end_paragraph(&mut out);
            let _ = writeln!(out, "## {heading}\n");
            current = heading;
        }
        write_question(&mut out, ruleset, question);
    }
    out
}

/// Ends the text so far with one blank line, so that the next block stands apart.
fn end_paragraph(out: &mut String) {
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// A scale's levels as a table: level, label and, when the scale has them, how a team
/// recognises the level.
fn write_legend(out: &mut String, scale: &Scale) {
    let described = !scale.descriptions.is_empty();
    let _ = writeln!(out, "**Schaal `{}`**\n", scale.id);
    if described {
        let _ = writeln!(out, "| antwoord | herkenbaar aan |\n|---|---|");
    } else {
        let _ = writeln!(out, "| antwoord |\n|---|");
    }
    for level in scale.low..=scale.high {
        let choice = table_cell(&scale_choice(scale, level));
        if described {
            let description = table_cell(scale.description(level).unwrap_or_default());
            let _ = writeln!(out, "| {choice} | {description} |");
        } else {
            let _ = writeln!(out, "| {choice} |");
        }
    }
    out.push('\n');
}

/// Text that stays in one Markdown table cell.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One question: its id, text and answer form, and the line for its comment.
fn write_question(out: &mut String, ruleset: &RuleSet, question: &Question) {
    let form = match number_hint(question) {
        Some(hint) => hint,
        None if matches!(question.kind, QuestionKind::Scale { .. }) => ruleset
            .scale_of(question)
            .map_or_else(String::new, |scale| format!("schaal `{}`", scale.id)),
        None => answer_choices(ruleset, question).join(", "),
    };
    let _ = writeln!(out, "- `{}`: {} ({form})", question.id, question.text);
    let _ = writeln!(
        out,
        "  - toelichting (`{}`): {FILL_IN}",
        comment_column(&question.id)
    );
}
