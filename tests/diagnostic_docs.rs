//! Every example in `docs/diagnostics/` gives the diagnostic it explains, so the entry
//! `check --explain` prints stays true as the compiler changes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use studentsucces::diagnostic::{codes, explanation};
use studentsucces::{Options, RuleSet};

/// The ```rules block of an explanation, if it has one.
fn example(text: &str) -> Option<&str> {
    let start = text.find("```rules\n")? + "```rules\n".len();
    let length = text[start..].find("```")?;
    Some(&text[start..start + length])
}

/// The codes of every diagnostic (errors and warnings) of compiling `rules`.
fn diagnostic_codes(rules: &str) -> Vec<String> {
    let diagnostics = match RuleSet::from_sources([("example.rules", rules)], &Options::new()) {
        Ok(compiled) => compiled.warnings().0.clone(),
        Err(error) => error.diagnostics().expect("rules diagnostics").0.clone(),
    };
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic.kind.code().to_owned())
        .collect()
}

#[test]
fn every_example_gives_the_diagnostic_it_explains() {
    let mut checked = 0;
    for code in codes() {
        let text = explanation(code).unwrap();
        assert!(text.contains("## Fix"), "{code}: no fix");
        let Some(rules) = example(text) else {
            continue;
        };
        let found = diagnostic_codes(rules);
        let expected = format!("studentsucces::{code}");
        assert!(
            found.contains(&expected),
            "the example of {code} gives {found:?}"
        );
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} examples checked");
}

#[test]
fn the_index_lists_every_code() {
    let index = std::fs::read_to_string("docs/diagnostics/README.md").unwrap();
    for code in codes() {
        assert!(index.contains(&format!("[`{code}`]({code}.md)")), "{code}");
    }
}
