//! The limits of the rule language and of reading rules: each is tested just below and
//! just above, and every refusal is a diagnostic at the offending text, never a panic,
//! a hang or a silently saturated value.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, stderr};

use studentsucces::compile::{
    compile, Compiled, ParamOverride, MAX_CHOICE_OPTIONS, MAX_DECLARATIONS, MAX_DIAGNOSTICS,
    MAX_EXPRESSION_NODES, MAX_SCALE_LEVEL, MAX_SCALE_LEVELS, MAX_SYNTAX_ERRORS,
};
use studentsucces::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use studentsucces::eval::Answers;
use studentsucces::report::{
    questionnaire_csv, questionnaire_markdown, questionnaire_xlsx, FormLength,
};

/// A minimal valid rule set: one factor, one tip with its maturity question on the
/// scale `maturity`, one rule. `extra` is appended; it declares the scale.
fn rules_with(extra: &str) -> String {
    format!(
        r#"ruleset "Grenzen" version "1"
stakeholder s "S"
theme t "T" {{ number 1 }}
factor f "F" {{ number 1 theme t horizon kort stakeholders s }}
tip f.a {{ text "A" }}
question f.a: maturity "Q?"
rule f.a {{ when f.a < 2 recommend f.a because "b" }}
{extra}
"#
    )
}

fn compile_text(text: &str) -> Result<Compiled, Diagnostics> {
    compile(vec![SourceFile::new("limits.rules", text)], &[])
}

/// The errors of a text that must not compile.
fn errors_of(text: &str) -> Vec<Diagnostic> {
    match compile_text(text) {
        Ok(_) => panic!("compiled, but an error was expected"),
        Err(diagnostics) => diagnostics.errors().cloned().collect(),
    }
}

fn compiles(text: &str) -> Compiled {
    compile_text(text).unwrap_or_else(|d| panic!("{}", d.render_plain()))
}

/// The one error of `text`, with the text it underlines.
fn single_error(text: &str) -> (String, String) {
    let errors = errors_of(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = &errors[0];
    (error.kind.to_string(), text[error.span.clone()].to_owned())
}

fn scale(low: i64, high: i64) -> String {
    format!("scale maturity {low}..{high} {{ {low} \"Laag\" {high} \"Hoog\" }}")
}

#[test]
fn a_scale_of_101_levels_compiles_and_102_levels_are_refused() {
    assert_eq!(MAX_SCALE_LEVELS, 101);
    let compiled = compiles(&rules_with(&scale(0, 100)));
    assert_eq!(compiled.ruleset.scales()[0].high, 100);
    let (message, underlined) = single_error(&rules_with(&scale(0, 101)));
    assert_eq!(
        message,
        "scale `maturity` has 102 levels, over the limit of 101 levels"
    );
    assert_eq!(underlined, "0..101");
}

#[test]
fn scale_levels_up_to_a_million_compile_and_higher_ones_are_refused() {
    assert_eq!(MAX_SCALE_LEVEL, 1_000_000);
    let high_scale = |low: i64, high: i64| {
        let scales = format!(
            "{}\n{}",
            scale(0, 4),
            scale(low, high).replace("maturity", "hoog")
        );
        rules_with(&format!("{scales}\nquestion f.h: hoog \"H?\" info"))
    };
    compiles(&high_scale(999_996, 1_000_000));
    let (message, underlined) = single_error(&high_scale(999_997, 1_000_001));
    assert_eq!(
        message,
        "level 1000001 of scale `hoog`, over the limit of 1000000"
    );
    assert_eq!(underlined, "1000001");
}

#[test]
fn an_integer_that_does_not_fit_i64_is_an_error_at_the_literal_not_a_saturated_value() {
    let fits = rules_with("scale maturity 0..9223372036854775807 { }");
    let (message, underlined) = single_error(&fits);
    assert!(
        message.starts_with("level 9223372036854775807"),
        "{message}"
    );
    assert_eq!(underlined, "9223372036854775807");
    let (message, underlined) =
        single_error(&rules_with("scale maturity 0..9223372036854775808 { }"));
    assert_eq!(
        message,
        "number `9223372036854775808` is too large: a whole number is at most 9223372036854775807"
    );
    assert_eq!(underlined, "9223372036854775808");
}

#[test]
fn a_section_number_fits_u32_and_one_more_is_an_error() {
    let numbered = |number: &str| {
        rules_with(&format!(
            "scale maturity 0..4 {{ }}\nprinciple p \"P\" {{ number {number} horizon kort }}"
        ))
    };
    compiles(&numbered("4294967295"));
    let (message, underlined) = single_error(&numbered("4294967296"));
    assert_eq!(
        message,
        "number `4294967296` is too large: a `number` is at most 4294967295"
    );
    assert_eq!(underlined, "4294967296");
}

#[test]
fn huge_scale_is_refused_by_check_so_questionnaire_never_panics() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("huge.rules");
    std::fs::write(
        &path,
        rules_with("scale maturity 0..99999999999999999999 { }"),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    for args in [
        vec!["check", "--rules", path],
        vec!["questionnaire", "--rules", path, "--format", "md"],
        vec!["questionnaire", "--rules", path, "--format", "csv"],
    ] {
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("huge.rules:8:19: number `99999999999999999999` is too large")
        );
        assert!(!stderr(&output).contains("panicked"));
    }
}

#[test]
fn every_questionnaire_format_handles_a_scale_at_the_limit() {
    let compiled = compiles(&rules_with(&scale(0, 100)));
    let ruleset = &compiled.ruleset;
    assert!(questionnaire_csv(ruleset, FormLength::Full).contains("f.a"));
    let markdown = questionnaire_markdown(ruleset, FormLength::Full);
    assert!(markdown.contains("| 100 - Hoog |"), "{markdown}");
    assert!(!questionnaire_xlsx(ruleset, FormLength::Full)
        .unwrap()
        .is_empty());
}

/// A decimal literal of `digits` digits: a 1 and zeros, so 309 digits is 1e308.
fn digits(digits: usize) -> String {
    format!("1{}", "0".repeat(digits - 1))
}

#[test]
fn a_param_literal_up_to_1e308_is_read_and_a_larger_one_is_an_error_not_infinity() {
    let param = |value: &str| rules_with(&format!("scale maturity 0..4 {{ }}\nparam x = {value}"));
    let compiled = compiles(&param(&digits(309)));
    assert_eq!(compiled.ruleset.params()[0].value, 1e308);
    let (message, underlined) = single_error(&param(&digits(310)));
    assert_eq!(
        message,
        "number `100000000000…0000` is too large: a number is at most about 1.8e308"
    );
    assert_eq!(underlined, digits(310));
    let (_, underlined) = single_error(&param(&format!("-{}", digits(310))));
    assert_eq!(underlined, format!("-{}", digits(310)));
}

#[test]
fn param_literals_and_param_overrides_follow_the_same_rule() {
    let text = rules_with("scale maturity 0..4 { }\nparam x = 1");
    let accepted: ParamOverride = "x=1e308".parse().unwrap();
    let compiled = compile(vec![SourceFile::new("p.rules", text.clone())], &[accepted]).unwrap();
    assert_eq!(compiled.ruleset.params()[0].value, 1e308);
    for refused in ["x=1e309", "x=-1e309", "x=inf", "x=NaN"] {
        let error = refused.parse::<ParamOverride>().unwrap_err();
        assert!(
            error.contains("is not a finite number"),
            "{refused}: {error}"
        );
    }
    let long = format!("x={}", digits(310));
    let error = long.parse::<ParamOverride>().unwrap_err();
    assert!(
        error.starts_with("`100000000000…0000` is not a finite number"),
        "{error}"
    );
}

#[test]
fn number_literals_in_expressions_tests_and_ranges_must_be_finite_too() {
    let places = [
        "rule r { when f.a < 2 and f.n > LIT recommend f.a because \"b\" }",
        "test \"t\" { given f.n = LIT expect f.a }",
        "test \"t\" { given f.a = 1 expect f.a priority >= LIT }",
        "question f.m: number 0..LIT \"M?\" info",
    ];
    for place in places {
        let text = |literal: &str| {
            rules_with(&format!(
                "scale maturity 0..4 {{ }}\nquestion f.n: number \"N?\"\n{}",
                place.replace("LIT", literal)
            ))
        };
        compiles(&text(&digits(309)));
        let (message, underlined) = single_error(&text(&digits(310)));
        assert!(message.contains("is too large"), "{place}: {message}");
        assert_eq!(underlined, digits(310), "{place}");
    }
}

#[test]
fn ten_thousand_declarations_compile_and_one_more_is_refused() {
    assert_eq!(MAX_DECLARATIONS, 10_000);
    // `rules_with` declares 8 (the scale included); stakeholders make up the rest.
    let with_stakeholders = |count: usize| {
        let mut extra = scale(0, 4);
        for index in 0..count {
            extra.push_str(&format!("\nstakeholder extra{index} \"E\""));
        }
        rules_with(&extra)
    };
    compiles(&with_stakeholders(MAX_DECLARATIONS - 8));
    let (message, underlined) = single_error(&with_stakeholders(MAX_DECLARATIONS - 7));
    assert_eq!(
        message,
        "the rule set has 10001 declarations, over the limit of 10000"
    );
    assert_eq!(underlined, "extra9992");
}

/// A file with `count` broken declarations (a stakeholder without its name).
fn broken_declarations(count: usize) -> String {
    rules_with(&format!(
        "{}\n{}",
        scale(0, 4),
        "stakeholder 5 \"S\"\n".repeat(count)
    ))
}

#[test]
fn twenty_syntax_errors_are_reported_and_past_them_the_file_is_not_checked() {
    assert_eq!(MAX_SYNTAX_ERRORS, 20);
    let errors = errors_of(&broken_declarations(MAX_SYNTAX_ERRORS));
    assert_eq!(errors.len(), MAX_SYNTAX_ERRORS);
    assert!(errors
        .iter()
        .all(|e| e.kind.code() == "studentsucces::syntax"));
    let errors = errors_of(&broken_declarations(MAX_SYNTAX_ERRORS + 1));
    assert_eq!(errors.len(), MAX_SYNTAX_ERRORS + 1);
    assert_eq!(
        errors.last().unwrap().kind.to_string(),
        "more than 20 syntax errors; the rest of the file is not checked"
    );
}

/// Rules whose expressions lower into `nodes` nodes: 1000 yes/no questions `g.*`, and
/// a `count` over 999 globs of them (999 000 nodes) and `extra` more questions.
fn expression_nodes(nodes: usize) -> String {
    let mut text = scale(0, 4);
    for index in 0..1000 {
        text.push_str(&format!("\nquestion g.q{index}: yesno \"?\" info"));
    }
    // The rule `f.a` lowers into 3 nodes; this one into 3 plus its arguments.
    let extra = nodes - 999_000 - 6;
    let mut arguments = vec!["g.*"; 999];
    arguments.extend(vec!["g.q0"; extra]);
    text.push_str(&format!(
        "\nrule r {{ when count({}) >= 0 recommend f.a because \"b\" }}",
        arguments.join(", ")
    ));
    rules_with(&text)
}

#[test]
fn a_million_expression_nodes_compile_and_one_more_is_refused() {
    assert_eq!(MAX_EXPRESSION_NODES, 1_000_000);
    compiles(&expression_nodes(MAX_EXPRESSION_NODES));
    let errors = errors_of(&expression_nodes(MAX_EXPRESSION_NODES + 1));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].kind.to_string(),
        "the rules' expressions reach 1000001 nodes (a template counts once per tip, a glob \
         once per question), over the limit of 1000000"
    );
}

/// A section listing `count` stakeholders that are not declared: one error each.
fn unknown_stakeholders(count: usize) -> String {
    let names: Vec<String> = (0..count).map(|index| format!("onbekend{index}")).collect();
    rules_with(&format!(
        "{}\nprinciple p \"P\" {{ number 1 horizon kort stakeholders {} }}",
        scale(0, 4),
        names.join(", ")
    ))
}

#[test]
fn a_thousand_diagnostics_are_reported_and_past_them_a_count_of_the_rest() {
    assert_eq!(MAX_DIAGNOSTICS, 1000);
    let diagnostics = compile_text(&unknown_stakeholders(MAX_DIAGNOSTICS)).unwrap_err();
    assert_eq!(diagnostics.0.len(), MAX_DIAGNOSTICS);
    let diagnostics = compile_text(&unknown_stakeholders(MAX_DIAGNOSTICS + 5)).unwrap_err();
    assert_eq!(diagnostics.0.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(diagnostics.errors().count(), MAX_DIAGNOSTICS);
    assert_eq!(
        diagnostics.0.last().unwrap().kind.to_string(),
        "5 more diagnostic(s) not shown; the first 1000 are"
    );
}

/// A choice question with `count` options `o0`, `o1`, ..., and a rule that fires when
/// the answer is the last one.
fn choice_with(count: usize) -> String {
    let options: Vec<String> = (0..count).map(|index| format!("o{index}")).collect();
    let last = options.last().unwrap().clone();
    rules_with(&format!(
        "{}\nquestion f.k: choice [{}] \"K?\"\nrule k {{ when f.k in [{last}] recommend f.a because \"k\" }}",
        scale(0, 4),
        options.join(", ")
    ))
}

#[test]
fn a_choice_of_64_options_compiles_and_tests_its_last_option_and_65_are_refused() {
    assert_eq!(MAX_CHOICE_OPTIONS, 64);
    let ruleset = compiles(&choice_with(MAX_CHOICE_OPTIONS)).ruleset;
    let mut answers = Answers::unanswered(&ruleset);
    answers.set(ruleset.question_index("f.k").unwrap(), 63.0);
    let fired: Vec<&str> = ruleset
        .evaluate(&answers)
        .fired()
        .iter()
        .map(|fired| ruleset.rules()[fired.rule.index()].id.as_str())
        .collect();
    assert_eq!(fired, ["k"]);
    let errors = errors_of(&choice_with(MAX_CHOICE_OPTIONS + 1));
    let messages: Vec<String> = errors.iter().map(|e| e.kind.to_string()).collect();
    assert_eq!(
        messages[0], "a choice question has at most 64 options",
        "{messages:?}"
    );
}
