//! Turns pest's parse errors into diagnostics that say, in words, what was expected.

use std::sync::Arc;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostic::{Diagnostic, DiagnosticKind, SourceFile};

/// A syntax diagnostic at the position pest stopped, listing what it would have accepted.
pub(super) fn syntax_diagnostic(file: &Arc<SourceFile>, error: &Error<Rule>) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => describe(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let end = token_end(&file.text, position);
    let found = file
        .text
        .get(position..end)
        .filter(|text| !text.trim().is_empty());
    let label = match found {
        Some(text) => format!("unexpected `{text}`"),
        None if position >= file.text.len() => "unexpected end of file".to_owned(),
        None => "here".to_owned(),
    };
    Diagnostic::new(
        DiagnosticKind::Syntax { expected },
        file,
        position..end,
        label,
    )
}

/// The end of the word (identifier or number) at `position`, or of its one character.
fn token_end(text: &str, position: usize) -> usize {
    let rest = text.get(position..).unwrap_or_default();
    let word = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    let first = rest.chars().next().map_or(0, char::len_utf8);
    position + word.max(first)
}

fn describe(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = rules.iter().map(|rule| name_of(*rule)).collect();
    names.sort_unstable();
    names.dedup();
    match names.split_last() {
        None => "something else".to_owned(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The words a rule author knows for each grammar rule.
fn name_of(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::ident | Rule::keyword | Rule::scale_type => "an identifier",
        Rule::path | Rule::path_list | Rule::ident_list => "an identifier",
        Rule::glob => "a glob such as `toetsing.*`",
        Rule::integer => "a whole number",
        Rule::number | Rule::signed_number => "a number",
        Rule::string | Rule::string_body | Rule::string_text | Rule::escape => {
            "a string in double quotes"
        }
        Rule::ruleset_decl
        | Rule::stakeholder_decl
        | Rule::theme_decl
        | Rule::principle_decl
        | Rule::factor_decl
        | Rule::tip_decl
        | Rule::scale_decl
        | Rule::question_decl
        | Rule::param_decl
        | Rule::rule_decl
        | Rule::template_decl
        | Rule::test_decl => "a declaration (`factor`, `tip`, `question`, `rule`, ...)",
        Rule::placeholder => "an expression",
        Rule::quickscan_item => "`quickscan`",
        Rule::lead_item => "`lead`",
        Rule::applies_item => "`applies`",
        Rule::template_scope | Rule::every_tip => "`*` or a list of principles and factors",
        Rule::raise_item => "`raise`",
        Rule::number_item => "`number`",
        Rule::theme_item => "`theme`",
        Rule::horizon_item => "`horizon`",
        Rule::horizon_none | Rule::horizon_range | Rule::horizon_level => {
            "a horizon (`kort`, `midden`, `lang`, a range such as `kort..midden`, or `none`)"
        }
        Rule::stakeholders_item => "`stakeholders`",
        Rule::note_item => "`note`",
        Rule::text_item => "`text`",
        Rule::after_item => "`after`",
        Rule::group_item => "`group`",
        Rule::scale_label => "a scale level and its label",
        Rule::yesno_type
        | Rule::percent_type
        | Rule::number_type
        | Rule::number_kw
        | Rule::choice_type => "a question type (a scale, `yesno`, `percent`, `number`, `choice`)",
        Rule::number_range => "a range such as `0..100`",
        Rule::choice_option => "a choice option",
        Rule::info_marker => "`info`",
        Rule::when_item => "`when`",
        Rule::recommend_item => "`recommend`",
        Rule::priority_item | Rule::priority_bound => "`priority`",
        Rule::because_item => "`because`",
        Rule::given_item => "`given`",
        Rule::assignment => "an assignment `question = value`",
        Rule::missing_lit => "`missing`",
        Rule::expect_item | Rule::expect_not_item => "`expect`",
        Rule::expr | Rule::call | Rule::function => "an expression",
        Rule::bool_lit => "`yes` or `no`",
        Rule::or_op | Rule::and_op => "`and` or `or`",
        Rule::not_op | Rule::neg => "an expression",
        Rule::le | Rule::ge | Rule::ne | Rule::lt | Rule::gt | Rule::eq => "a comparison operator",
        Rule::add | Rule::sub | Rule::mul | Rule::div => "an operator",
        Rule::in_list => "`in [...]`",
        Rule::section_item => {
            "`number`, `theme`, `horizon`, `stakeholders`, `note`, `quickscan`, `lead` or `applies`"
        }
        Rule::tip_item => "`text`, `after`, `group`, `lead`, `applies` or `because`",
        Rule::scale_item => "a scale level and its label",
        Rule::question_type => "a question type (a scale, `yesno`, `percent`, `number`, `choice`)",
        Rule::rule_item => "`when`, `recommend`, `raise`, `priority` or `because`",
        Rule::test_item => "`given` or `expect`",
        Rule::given_value => "a value (a number, `yes`, `no`, an option or `missing`)",
        Rule::infix | Rule::cmp_op => "an operator",
        Rule::prefix | Rule::primary | Rule::argument => "an expression",
        Rule::postfix => "`in [...]`",
        Rule::ident_char => "an identifier",
        Rule::file | Rule::declaration | Rule::WHITESPACE | Rule::comment_text => "a declaration",
    }
}
