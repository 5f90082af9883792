//! Every diagnostic kind, rendered as a rule author sees it (insta snapshots), and the
//! locations the compiler reports.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use studentsucces::compile::compile;
use studentsucces::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use studentsucces::input::{read_sources, LoadError};

fn compile_file(path: &str) -> Diagnostics {
    let sources = match read_sources(Path::new(path)) {
        Ok(sources) => sources,
        Err(LoadError::Invalid(diagnostics)) => return diagnostics,
        Err(error) => panic!("{error}"),
    };
    match compile(sources, &[]) {
        Ok(compiled) => compiled.warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// `(line, column, message)` of every diagnostic.
fn located(diagnostics: &Diagnostics) -> Vec<(usize, usize, String)> {
    diagnostics
        .0
        .iter()
        .map(|d: &Diagnostic| (d.location().line, d.location().column, d.kind.to_string()))
        .collect()
}

#[test]
fn every_diagnostic_kind_renders_with_file_line_column_caret_and_help() {
    let mut files: Vec<_> = std::fs::read_dir("tests/data/diagnostics")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 13);
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let diagnostics = compile_file(path.to_str().unwrap());
        assert!(!diagnostics.0.is_empty(), "{name} yields no diagnostic");
        insta::assert_snapshot!(name, diagnostics.render_plain());
    }
}

#[test]
fn five_mistakes_yield_five_diagnostics_at_the_right_places() {
    let diagnostics = compile_file("tests/data/diagnostics/five_mistakes.rules");
    assert_eq!(
        located(&diagnostics),
        vec![
            (9, 28, "unknown stakeholder `examencommissie`".to_owned()),
            (
                17,
                32,
                "value 5 is outside the range of `toetsing.frequentie` (0..4)".to_owned()
            ),
            (
                17,
                38,
                "type error: cannot compare a yes/no value with a number".to_owned()
            ),
            (18, 36, "unknown tip `toetsing.herkansing`".to_owned()),
            (
                19,
                19,
                "type error: an operand of arithmetic must be a number, but this is a yes/no value"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn syntax_errors_in_several_declarations_are_all_reported() {
    let text = "stakeholder a \"A\"\nrule r { when 1 < }\nstakeholder b\nstakeholder c \"C\"\n";
    let file = SourceFile::new("several.rules", text);
    let diagnostics = compile(vec![file], &[]).unwrap_err();
    let lines: Vec<usize> = diagnostics.errors().map(|d| d.location().line).collect();
    assert_eq!(lines, vec![2, 4]);
}

#[test]
fn unknown_names_suggest_the_closest_declared_one() {
    let diagnostics = compile_file("tests/data/diagnostics/unknown_tip.rules");
    let error = diagnostics.errors().next().unwrap();
    let help = error.help.clone().unwrap();
    assert_eq!(help, "did you mean `toetsing.frequentie`?");
}

#[test]
fn a_cycle_names_every_tip_on_it_sorted() {
    let diagnostics = compile_file("tests/data/diagnostics/cycle.rules");
    let messages: Vec<String> = diagnostics.errors().map(|d| d.kind.to_string()).collect();
    assert_eq!(
        messages,
        vec!["dependency cycle between tips: visie.a, visie.b, visie.c"]
    );
}

#[test]
fn unknown_param_override_points_at_the_command_line() {
    let sources = read_sources(Path::new("tests/data/small.rules")).unwrap();
    let overrides = ["drempel_internationaa=20".parse().unwrap()];
    let diagnostics = compile(sources, &overrides).unwrap_err();
    let first = &diagnostics.0[0];
    assert_eq!(first.file.name, "--param");
    assert_eq!(
        first.help.as_deref(),
        Some("did you mean `drempel_internationaal`?")
    );
}

#[test]
fn warnings_do_not_stop_compilation() {
    let sources = read_sources(Path::new("tests/data/diagnostics/unreachable_tip.rules")).unwrap();
    let compiled = compile(sources, &[]).unwrap();
    assert_eq!(compiled.warnings.warnings().count(), 1);
    assert!(!compiled.warnings.has_errors());
}

/// The longest line, in characters, of the rendered diagnostics of `text`.
fn widest_rendered_line(text: &str) -> (String, usize) {
    let file = SourceFile::new("wide.rules", text);
    let diagnostics = match compile(vec![file], &[]) {
        Ok(compiled) => compiled.warnings,
        Err(diagnostics) => diagnostics,
    };
    let rendered = diagnostics.render_plain();
    let widest = rendered.lines().map(|line| line.chars().count()).max();
    (rendered.clone(), widest.unwrap_or(0))
}

#[test]
fn a_diagnostic_in_a_multi_megabyte_line_shows_a_window_not_the_line() {
    let arguments = vec!["f.a"; 20_000].join(", ");
    let name = format!("onbekend{}", "x".repeat(2_000_000));
    let text = format!(
        "{}rule r {{ when avg({arguments}) < 2 and {name} > 1 recommend f.a because \"b\" }}\n",
        std::fs::read_to_string("tests/data/diagnostics/long_line.rules").unwrap()
    );
    let (rendered, widest) = widest_rendered_line(&text);
    assert!(widest <= 320, "{widest} characters wide:\n{rendered}");
    let column = "rule r { when avg(".len() + arguments.len() + ") < 2 and ".len() + 1;
    let location = format!("wide.rules:7:{column}: unknown question or param `onbekendxxx");
    assert!(rendered.contains(&location), "{rendered}");
    assert!(rendered.contains("(long line shown in part)"));
    assert!(rendered.contains(") < 2 and onbekendxxx"), "{rendered}");
}

#[test]
fn short_lines_next_to_a_long_one_keep_their_context() {
    let long = format!("param p = 1 \"{}\"", "lang ".repeat(1000));
    let text = format!("stakeholder s \"S\"\nstakeholder s \"T\"\n{long}\n");
    let (rendered, widest) = widest_rendered_line(&text);
    assert!(widest <= 320, "{rendered}");
    // The line before is shown; the long line after it is left out.
    assert!(rendered.contains(" 1 │ stakeholder s \"S\""), "{rendered}");
    assert!(!rendered.contains("lang lang"), "{rendered}");
}

#[test]
fn a_line_of_200_bytes_is_shown_whole_and_one_of_201_in_part() {
    let with_line_of = |length: usize| {
        let start = "stakeholder s \"T\" // ";
        let line = format!("{start}{}", "x".repeat(length - start.len()));
        assert_eq!(line.len(), length);
        format!("stakeholder s \"S\"\n{line}\n")
    };
    let (rendered, _) = widest_rendered_line(&with_line_of(200));
    assert!(
        rendered.contains(&format!("{}\n", "x".repeat(179))),
        "{rendered}"
    );
    assert!(!rendered.contains("shown in part"), "{rendered}");
    let (rendered, widest) = widest_rendered_line(&with_line_of(201));
    assert!(
        rendered.contains("declared again here (long line shown in part)"),
        "{rendered}"
    );
    assert!(!rendered.contains(&"x".repeat(180)), "{rendered}");
    assert!(widest < 201, "{rendered}");
}
