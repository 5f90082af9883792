//! The editor grammar under `editors/` highlights exactly the keywords of the pest
//! grammar: a keyword added to the language and not to the editor grammar (or one left
//! in the editor grammar after the language dropped it) fails here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use serde_json::Value;

const PEST: &str = "grammar/studentsucces.pest";
const EXTENSION: &str = "editors/vscode";
const TEXTMATE: &str = "editors/vscode/syntaxes/studentsucces-rules.tmLanguage.json";

/// The pest grammar without its `//` comments (outside string literals).
fn pest_code(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut previous = ' ';
        let mut kept = String::new();
        for (at, c) in line.char_indices() {
            if c == '"' && previous != '\\' {
                in_string = !in_string;
            }
            if !in_string && line[at..].starts_with("//") {
                break;
            }
            kept.push(c);
            previous = c;
        }
        code.push_str(&kept);
        code.push('\n');
    }
    code
}

/// Every word literal of the pest grammar (`"recommend"`, `"kort"`, ...): the language's
/// keywords. One-letter literals (the `n` of the `\n` escape) are no keywords.
fn pest_keywords() -> BTreeSet<String> {
    let code = pest_code(&std::fs::read_to_string(PEST).unwrap());
    code.split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| literal.len() > 1 && literal.chars().all(|c| c.is_ascii_lowercase()))
        .map(str::to_owned)
        .collect()
}

/// Every word of a `\b(a|b|c)\b` alternation in the TextMate grammar's patterns.
fn textmate_keywords(grammar: &Value) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for pattern in grammar["repository"].as_object().unwrap().values() {
        let Some(regex) = pattern["match"].as_str() else {
            continue;
        };
        for group in regex.split("\\b(").skip(1) {
            let alternation = group.split(')').next().unwrap();
            words.extend(
                alternation
                    .split('|')
                    .filter(|word| word.chars().all(|c| c.is_ascii_lowercase()))
                    .map(str::to_owned),
            );
        }
    }
    words
}

#[test]
fn the_editor_grammar_has_exactly_the_keywords_of_the_pest_grammar() {
    let grammar: Value = serde_json::from_str(&std::fs::read_to_string(TEXTMATE).unwrap()).unwrap();
    let pest = pest_keywords();
    let editor = textmate_keywords(&grammar);
    assert!(
        pest.len() > 50,
        "too few keywords read from {PEST}: {pest:?}"
    );
    let not_highlighted: Vec<_> = pest.difference(&editor).collect();
    let not_in_language: Vec<_> = editor.difference(&pest).collect();
    assert!(
        not_highlighted.is_empty() && not_in_language.is_empty(),
        "keywords of {PEST} missing from {TEXTMATE}: {not_highlighted:?}; \
         words of {TEXTMATE} the language does not have: {not_in_language:?}"
    );
}

#[test]
fn the_patterns_the_grammar_includes_exist() {
    let grammar: Value = serde_json::from_str(&std::fs::read_to_string(TEXTMATE).unwrap()).unwrap();
    let repository = grammar["repository"].as_object().unwrap();
    for include in grammar["patterns"].as_array().unwrap() {
        let name = include["include"].as_str().unwrap();
        let key = name.strip_prefix('#').unwrap();
        assert!(
            repository.contains_key(key),
            "{name} is not in the repository"
        );
    }
}

#[test]
fn the_extension_manifest_points_at_the_grammar_and_its_scope() {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{EXTENSION}/package.json")).unwrap(),
    )
    .unwrap();
    let grammar: Value = serde_json::from_str(&std::fs::read_to_string(TEXTMATE).unwrap()).unwrap();
    let contributed = &manifest["contributes"]["grammars"][0];
    assert_eq!(contributed["scopeName"], grammar["scopeName"]);
    let path = contributed["path"].as_str().unwrap();
    assert!(std::path::Path::new(EXTENSION).join(path).is_file());
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["extensions"][0], ".rules");
    let configuration = language["configuration"].as_str().unwrap();
    assert!(std::path::Path::new(EXTENSION)
        .join(configuration)
        .is_file());
}
