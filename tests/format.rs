//! `studentsucces::format` and `studentsucces fmt`: formatting is idempotent, keeps
//! every comment, and does not change what the rules mean (the compiled catalogue and
//! the advice of generated programmes, without the content hash); the Roadmap is
//! already formatted; and the command checks, fixes and refuses as documented.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use serde_json::Value;
use studentsucces::format::format_rules;
use studentsucces::input::roadmap_sources;
use studentsucces::{Assessment, Options, RuleSet};

// ---------------------------------------------------------------------------
// A generator of valid rule files: a fixed skeleton with random tips, numbers,
// strings and expressions, its tokens joined by random whitespace and comments.
// ---------------------------------------------------------------------------

/// A numeric expression as tokens (placeholders only where `template` is true).
fn number_expr(template: bool) -> impl Strategy<Value = Vec<String>> {
    let mut leaves = vec![
        (0u32..200).prop_map(|n| vec![n.to_string()]).boxed(),
        (0u32..100).prop_map(|n| vec![format!("{n}.5")]).boxed(),
        Just(vec!["context.n".to_owned()]).boxed(),
        Just(vec!["x".to_owned()]).boxed(),
        Just(words(&["avg", "(", "p.*", ")"])).boxed(),
        Just(words(&["max", "(", "0", ",", "context.n", ",", "-3", ")"])).boxed(),
    ];
    if template {
        leaves.push(Just(words(&["coalesce", "(", "$tip", ",", "$quickscan", ")"])).boxed());
        leaves.push(Just(words(&["avg", "(", "$section.*", ")"])).boxed());
        leaves.push(Just(words(&["$fundament"])).boxed());
    }
    proptest::strategy::Union::new(leaves).prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| [a, vec![op.to_owned()], b].concat()),
            inner
                .clone()
                .prop_map(|a| [words(&["("]), a, words(&[")"])].concat()),
            inner.prop_map(|a| [words(&["-"]), a].concat()),
        ]
    })
}

/// A condition as tokens.
fn condition(template: bool) -> impl Strategy<Value = Vec<String>> {
    let comparison = (
        number_expr(template),
        prop::sample::select(vec!["<", "<=", ">", ">=", "=", "!="]),
        number_expr(template),
    )
        .prop_map(|(a, op, b)| [a, vec![op.to_owned()], b].concat());
    let leaf = prop_oneof![
        comparison,
        Just(words(&["context.c", "in", "[", "a", ",", "b", ",", "]"])),
        Just(words(&["context.c", "=", "b"])),
        Just(words(&["answered", "(", "context.n", ")"])),
    ];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["and", "or"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| [a, vec![op.to_owned()], b].concat()),
            inner.prop_map(|a| [words(&["not", "("]), a, words(&[")"])].concat()),
        ]
    })
}

/// A string literal: Dutch text, with `//`, braces and escapes inside.
fn string() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z0-9 éëï’{}(),.:;/*-]{0,24}",
        prop::sample::select(vec!["", "\\\"", "\\\\", "\\n", " // geen commentaar"]),
    )
        .prop_map(|(text, escape)| format!("\"{text}{escape}\""))
}

fn push(tokens: &mut Vec<String>, more: &[&str]) {
    tokens.extend(words(more));
}

fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}

/// One tip: its text, whether it has its own lead, an optional prerequisite (an
/// earlier tip, by distance) and an optional applies condition.
type TipSpec = (String, bool, Option<usize>, Option<(Vec<String>, String)>);

/// The declarations of a valid rule set, as tokens.
#[derive(Debug, Clone)]
struct Spec {
    tips: Vec<TipSpec>,
    labels: Vec<String>,
    param: i32,
    priority: Vec<String>,
    raise_when: Vec<String>,
    raise_by: Vec<String>,
    test_bound: i32,
}

fn spec() -> impl Strategy<Value = Spec> {
    let tip = (
        string(),
        any::<bool>(),
        prop::option::of(1usize..4),
        prop::option::of((condition(false), string())),
    );
    (
        prop::collection::vec(tip, 1..5),
        prop::collection::vec(string(), 2),
        -50i32..50,
        number_expr(true),
        condition(false),
        number_expr(false),
        -20i32..20,
    )
        .prop_map(
            |(tips, labels, param, priority, raise_when, raise_by, test_bound)| Spec {
                tips,
                labels,
                param,
                priority,
                raise_when,
                raise_by,
                test_bound,
            },
        )
}

impl Spec {
    fn tokens(&self) -> Vec<String> {
        let mut t: Vec<String> = Vec::new();
        push(&mut t, &["ruleset", "\"Generated\"", "version", "\"1\""]);
        push(
            &mut t,
            &[
                "stakeholder",
                "s1",
                "\"Eerste\"",
                "stakeholder",
                "s2",
                "\"Tweede\"",
            ],
        );
        push(
            &mut t,
            &["theme", "th", "\"Thema\"", "{", "number", "1", "}"],
        );
        push(&mut t, &["scale", "maturity", "0", "..", "4", "{", "0"]);
        push(
            &mut t,
            &[&self.labels[0], &self.labels[1], "1", &self.labels[1], "}"],
        );
        push(
            &mut t,
            &["principle", "p", "\"P\"", "{", "number", "1", "theme", "th"],
        );
        push(
            &mut t,
            &[
                "horizon",
                "kort",
                "..",
                "midden",
                "stakeholders",
                "s1",
                ",",
                "s2",
            ],
        );
        push(&mut t, &["quickscan", "quickscan.p", "lead", "s1", "}"]);
        for (i, (text, own_lead, after, applies)) in self.tips.iter().enumerate() {
            let id = format!("p.t{i}");
            push(&mut t, &["tip", &id, "{", "text", text]);
            if *own_lead {
                push(&mut t, &["lead", "s2"]);
            }
            if let Some(back) = after.filter(|back| *back <= i) {
                push(&mut t, &["after", &format!("p.t{}", i - back)]);
            }
            if let Some((when, because)) = applies {
                push(&mut t, &["applies", "when"]);
                t.extend(when.iter().cloned());
                push(&mut t, &["because", because]);
            }
            push(
                &mut t,
                &["}", "question", &id, ":", "maturity", "\"Vraag\""],
            );
        }
        push(
            &mut t,
            &["question", "quickscan.p", ":", "maturity", "\"Scan\""],
        );
        push(
            &mut t,
            &[
                "question",
                "context.n",
                ":",
                "number",
                "-1000",
                "..",
                "1000",
                "\"N\"",
                "info",
            ],
        );
        push(
            &mut t,
            &[
                "question",
                "context.c",
                ":",
                "choice",
                "[",
                "a",
                "\"A\"",
                ",",
                "b",
                "]",
            ],
        );
        push(
            &mut t,
            &[
                "\"C\"",
                "param",
                "x",
                "=",
                &self.param.to_string(),
                "\"Een param\"",
            ],
        );
        push(&mut t, &["param", "in_place", "=", "3"]);
        push(
            &mut t,
            &[
                "template", "basis", "for", "*", "{", "when", "coalesce", "(",
            ],
        );
        push(
            &mut t,
            &["$tip", ",", "$quickscan", ")", "<", "in_place", "priority"],
        );
        t.extend(self.priority.iter().cloned());
        push(
            &mut t,
            &[
                "because",
                "\"Basis\"",
                "}",
                "rule",
                "r.verhoog",
                "{",
                "when",
            ],
        );
        t.extend(self.raise_when.iter().cloned());
        push(&mut t, &["raise", "p.t0", "by"]);
        t.extend(self.raise_by.iter().cloned());
        push(
            &mut t,
            &["because", "\"Verhoogd\"", "}", "test", "\"een test\"", "{"],
        );
        push(
            &mut t,
            &["given", "p.t0", "=", "1", ",", "context.c", "=", "a"],
        );
        push(
            &mut t,
            &[
                "given",
                "context.n",
                "=",
                "missing",
                "expect",
                "p.t0",
                "priority",
            ],
        );
        push(
            &mut t,
            &[
                ">=",
                &self.test_bound.to_string(),
                "expect",
                "not",
                "p.t0",
                "}",
            ],
        );
        t
    }
}

/// Tokens after which, or before which, no whitespace is needed.
const TIGHT: [&str; 9] = ["{", "}", "(", ")", "[", "]", ",", ":", ".."];

/// Joins tokens with the separators `choices` picks, and returns the comments written.
fn join(tokens: &[String], choices: &[u8], comments: &[String]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut written = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let choice = choices[i % choices.len()];
        let comment = &comments[i % comments.len()];
        let tight =
            TIGHT.contains(&token.as_str()) || i > 0 && TIGHT.contains(&tokens[i - 1].as_str());
        // A function's `(` may follow it after whitespace, but not after a comment.
        let call = token == "("
            && i > 0
            && ["avg", "max", "coalesce", "answered"].contains(&tokens[i - 1].as_str());
        let choice = if call { choice % 6 } else { choice };
        let separator = match choice {
            0 => " ".to_owned(),
            1 => "  ".to_owned(),
            2 => "\t".to_owned(),
            3 => "\n".to_owned(),
            4 => "\n\n\n".to_owned(),
            5 => " \r\n".to_owned(),
            6 => format!(" //{comment}\n"),
            7 => format!("\n  //{comment}\n\n"),
            8 if tight => String::new(),
            9 => "\n        ".to_owned(),
            _ => " ".to_owned(),
        };
        if matches!(choice, 6 | 7) {
            written.push(format!("//{comment}").trim_end().to_owned());
        }
        if i > 0 || !separator.trim().is_empty() {
            text.push_str(&separator);
        }
        text.push_str(token);
    }
    text.push_str(" // end  \n");
    written.push("// end".to_owned());
    (text, written)
}

/// A generated file, the comments it holds and its number of tips.
fn generated_file() -> impl Strategy<Value = (String, Vec<String>, usize)> {
    (
        spec(),
        prop::collection::vec(0u8..12, 1..64),
        prop::collection::vec("[a-zA-Z0-9 é\"{}/*-]{0,16}", 1..8),
    )
        .prop_map(|(spec, choices, comments)| {
            let (text, written) = join(&spec.tokens(), &choices, &comments);
            (text, written, spec.tips.len())
        })
}

// ---------------------------------------------------------------------------
// What the rules mean: the catalogue and some advice, without the content hash.
// ---------------------------------------------------------------------------

/// `value` without any `hash` field, at any depth.
fn without_hash(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("hash");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

/// The catalogue and the advice of `programmes`, hash removed, of rules from sources.
fn meaning(sources: &[(String, String)], programmes: &[Assessment]) -> Value {
    let compiled = RuleSet::from_sources(sources.iter().cloned(), &Options::new())
        .unwrap_or_else(|error| panic!("does not compile: {error:?}"));
    let ruleset = &compiled.ruleset;
    let advice: Vec<Value> = programmes
        .iter()
        .map(|programme| serde_json::to_value(ruleset.advise(programme).unwrap()).unwrap())
        .collect();
    without_hash(serde_json::json!({
        "catalogue": serde_json::to_value(ruleset.catalogue()).unwrap(),
        "advice": advice,
    }))
}

/// Programmes answering `questions` (levels 0 to 4 or unknown), a number question and a
/// choice question between two options, all from `answers`.
fn programmes(
    questions: &[&str],
    (number, choice, options): (&str, &str, [&str; 2]),
    answers: &[(u8, u8)],
) -> Vec<Assessment> {
    answers
        .iter()
        .enumerate()
        .map(|(n, &(seed, n_value))| {
            let mut builder = Assessment::builder(format!("P{n}"))
                .answer(number, f64::from(n_value))
                .answer(choice, options[usize::from(seed % 2)]);
            for (i, question) in questions.iter().enumerate() {
                let level = (usize::from(seed) + i * 3) % 6;
                if level < 5 {
                    builder = builder.answer(*question, u32::try_from(level).unwrap());
                }
            }
            builder.build()
        })
        .collect()
}

/// Whether `needles` occur in `haystack` in order.
fn in_order(haystack: &str, needles: &[String]) -> bool {
    let mut rest = haystack;
    needles
        .iter()
        .all(|needle| match rest.find(needle.as_str()) {
            Some(at) => {
                rest = &rest[at + needle.len()..];
                true
            }
            None => false,
        })
}

/// The layout rules every formatted text keeps.
fn assert_tidy(formatted: &str) {
    assert!(formatted.is_empty() || formatted.ends_with('\n'));
    assert!(!formatted.ends_with("\n\n"), "{formatted}");
    assert!(!formatted.contains("\n\n\n"), "{formatted}");
    assert!(!formatted.contains('\r'), "{formatted}");
    for line in formatted.lines() {
        assert_eq!(line, line.trim_end(), "trailing whitespace in {formatted}");
        let indent = line.len() - line.trim_start().len();
        assert_eq!(indent % 4, 0, "{line:?}");
        assert!(!line.starts_with('\t'));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn formatting_generated_files_is_idempotent_and_keeps_meaning_and_comments(
        (text, comments, tip_count) in generated_file(),
        answers in prop::collection::vec((any::<u8>(), 0u8..100), 1..4),
    ) {
        let formatted = format_rules("gen.rules", &text)
            .unwrap_or_else(|error| panic!("{text}\ndoes not parse: {error}"));
        prop_assert_eq!(&format_rules("gen.rules", &formatted).unwrap(), &formatted);
        assert_tidy(&formatted);
        prop_assert!(in_order(&formatted, &comments), "{formatted}\nlost one of {comments:?}");
        let tips: Vec<String> = (0..tip_count)
            .map(|i| format!("p.t{i}"))
            .collect();
        let mut questions: Vec<&str> = tips.iter().map(String::as_str).collect();
        questions.push("quickscan.p");
        let programmes = programmes(&questions, ("context.n", "context.c", ["a", "b"]), &answers);
        prop_assert_eq!(
            meaning(&[("gen.rules".to_owned(), text.clone())], &programmes),
            meaning(&[("gen.rules".to_owned(), formatted.clone())], &programmes)
        );
    }

    #[test]
    fn the_roadmap_reindented_and_spaced_out_formats_back_to_itself(
        indents in prop::collection::vec(0usize..14, 1..40),
        trailing in prop::collection::vec(0usize..3, 1..30),
        crlf in any::<bool>(),
        answers in prop::collection::vec((any::<u8>(), 0u8..100), 1..3),
    ) {
        let mut sources = Vec::new();
        let mut formatted_sources = Vec::new();
        for source in roadmap_sources() {
            let mut messy = String::new();
            for (n, line) in source.text.lines().enumerate() {
                let indent = indents[n % indents.len()];
                let pad = if indent % 3 == 0 { "\t".repeat(indent / 3) } else { " ".repeat(indent) };
                messy.push_str(&pad);
                messy.push_str(line.trim_start());
                messy.push_str(&" ".repeat(trailing[n % trailing.len()]));
                if line.is_empty() {
                    messy.push_str("\n\n");
                }
                messy.push_str(if crlf { "\r\n" } else { "\n" });
            }
            let formatted = format_rules(&source.name, &messy).unwrap();
            prop_assert_eq!(&formatted, &*source.text, "{}", source.name);
            sources.push((source.hash_name.clone(), messy));
            formatted_sources.push((source.hash_name.clone(), formatted));
        }
        let programmes = programmes(
            &["toetsing.frequentie", "visie.duidelijke_visie", "quickscan.toetsing"],
            ("context.mbo", "context.niveau", ["bachelor", "master"]),
            &answers,
        );
        prop_assert_eq!(meaning(&sources, &programmes), meaning(&formatted_sources, &programmes));
    }
}

#[test]
fn every_roadmap_file_is_formatted() {
    for source in roadmap_sources() {
        let formatted = format_rules(&source.name, &source.text).unwrap();
        assert!(
            formatted == *source.text,
            "{} is not formatted; run `studentsucces fmt rules`",
            source.name
        );
        assert_tidy(&formatted);
    }
}

// ---------------------------------------------------------------------------
// The command.
// ---------------------------------------------------------------------------

fn fmt_in(folder: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .arg("fmt")
        .args(args)
        .current_dir(folder)
        .output()
        .unwrap()
}

#[test]
fn fmt_check_names_the_messy_file_fmt_fixes_it_and_check_then_passes() {
    let folder = tempfile::tempdir().unwrap();
    let rules = folder.path().join("rules");
    std::fs::create_dir_all(rules.join("sub")).unwrap();
    let tidy = "stakeholder a \"A\"\n";
    let messy = "stakeholder a \"A\"\ntip   a.x{text \"Één  tip.\"   // why\n    lead a}\n\n\n";
    std::fs::write(rules.join("tidy.rules"), tidy).unwrap();
    std::fs::write(rules.join("sub/messy.rules"), messy).unwrap();
    std::fs::write(rules.join("notes.txt"), "not  rules {").unwrap();

    let check = fmt_in(folder.path(), &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", common::stderr(&check));
    let listed = common::stdout(&check);
    assert!(listed.contains("messy.rules"), "{listed}");
    assert!(!listed.contains("tidy.rules"), "{listed}");
    assert_eq!(
        std::fs::read_to_string(rules.join("sub/messy.rules")).unwrap(),
        messy
    );

    let fix = fmt_in(folder.path(), &["rules"]);
    assert_eq!(fix.status.code(), Some(0), "{}", common::stderr(&fix));
    assert_eq!(
        std::fs::read_to_string(rules.join("sub/messy.rules")).unwrap(),
        "stakeholder a \"A\"\n\ntip a.x {\n    text \"Één  tip.\"   // why\n    lead a\n}\n"
    );
    assert_eq!(
        std::fs::read_to_string(rules.join("tidy.rules")).unwrap(),
        tidy
    );
    assert_eq!(
        std::fs::read_to_string(rules.join("notes.txt")).unwrap(),
        "not  rules {"
    );
    let leftovers: Vec<_> = std::fs::read_dir(rules.join("sub")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left behind");

    let again = fmt_in(folder.path(), &["--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", common::stdout(&again));
    assert_eq!(common::stdout(&again), "");
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_untouched_and_exits_1() {
    let folder = tempfile::tempdir().unwrap();
    let broken = "tip a.x {\n  text\n}\n";
    let messy = "stakeholder   a \"A\"\n";
    std::fs::write(folder.path().join("broken.rules"), broken).unwrap();
    std::fs::write(folder.path().join("other.rules"), messy).unwrap();
    for args in [&["--check", "."][..], &["."][..]] {
        let output = fmt_in(folder.path(), args);
        assert_eq!(output.status.code(), Some(1));
        let err = common::stderr(&output);
        assert!(err.contains("broken.rules:3:1"), "{err}");
        assert!(err.contains("left as it is"), "{err}");
        assert_eq!(
            std::fs::read_to_string(folder.path().join("broken.rules")).unwrap(),
            broken
        );
    }
    // The file that parses was formatted all the same.
    assert_eq!(
        std::fs::read_to_string(folder.path().join("other.rules")).unwrap(),
        "stakeholder a \"A\"\n"
    );
}

#[test]
fn fmt_without_a_path_needs_a_rules_folder() {
    let folder = tempfile::tempdir().unwrap();
    let output = fmt_in(folder.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("no PATH given"));
}

#[test]
fn the_repository_rules_pass_fmt_check() {
    let output = fmt_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["rules", "--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stdout(&output));
}
