//! The direct reader against pest: on every rules file and documented example in the
//! repository, and on random edits of a sample of every construct, the direct reader
//! gives a tree exactly when pest and the builders report nothing, and then pest's tree.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;

use super::{direct, parse_with_pest};
use crate::diagnostic::SourceFile;

/// Every construct of the grammar, with comments and blanks in odd places.
const SAMPLE: &str = r#"// A sample of every construct.
ruleset "Sample" version "1.0"
ruleset "No version"   // trailing comment
stakeholder team "Team"
theme t1 "Theme" { number 1 }
theme t2 "Empty" { }
principle p1 "Principle" {
  number 2 theme t1 horizon kort..midden stakeholders team, board
  note "a \"note\"\n\\" quickscan q.a lead team
  applies when q.b = yes because "b"
}
factor f1 "Factor" { horizon none }
factor f2 "Factor" { horizon lang // the long run
  applies when not missing(q.c) because "c" }
tip p1.first { text "First" after p1.second, f1.x group "G" lead team because "own"
  applies when q.d in [x, y,] because "d" }
tip f1.x { }
scale s5 1..5 { 1 "low" "very low" 5 "high" }
question q.a: yesno "A?" info
question q.b: percent "B?"
question q.c: number -1.5..10 "C?"
question q.d: choice [x "X", y, z "Z",] "D?"
question q.e: s5 "E?"
question q.f: number "F?"
question q.g: choice [a] "G?"
param focus = -2.5 "Focus"
param other = 3
template base for * { when $quickscan < 3 priority 10 + 2 * -avg($section.*, q.a) because "base" }
template some for p1, f1 {
  when answered($tip) and count(q.*) >= 2 or coalesce(q.c, 1) != 0
  priority min(q.c, max (1, 2)) / (1 - 3) - - 4
}
rule r.one { when (q.a or q.b > 50) and not q.c <= 2 recommend p1.first, f1.x priority focus because "one" }
rule r.two { raise p1.first by 2 + q.c when q.e >= 4 = yes in [a] }
rule r.three { when not not -q.c = -(1) and (q.a) priority count() }
test "t" { given q.a = yes, q.b = 40, q.d = x, q.c = missing, q.f = -3.5
  expect p1.first priority >= 2 expect not f1.x, f2.y expect p1.first
  expect f1.x priority != 1.5 }
"#;

/// Pieces an edit inserts: tokens, half tokens and things the builders report.
const FRAGMENTS: [&str; 44] = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    ".*",
    "..",
    ":",
    "=",
    "<=",
    "!=",
    "-",
    "+",
    "*",
    "/",
    " ",
    "\n",
    "//x\n",
    "\"",
    "\\",
    "\\n",
    "not ",
    "in ",
    "and",
    "or ",
    "missing",
    "yes",
    "no",
    "$tip",
    "avg",
    "count(",
    "1",
    "1.5",
    "99999999999999999999999",
    "1e400",
    "é",
    "_",
    "when ",
    "because",
    "version",
    "none",
];

/// What pest and the direct reader make of `text`: equal, or the law is broken.
fn agree(text: &str) -> Result<(), String> {
    let file = Arc::new(SourceFile::new("test.rules", text));
    let (tree, errors) = parse_with_pest(&file);
    match (direct::parse_file(text), errors.is_empty()) {
        (Some(direct), true) if direct == tree => Ok(()),
        (None, false) => Ok(()),
        (Some(direct), true) => Err(format!("trees differ:\n{direct:#?}\n{tree:#?}")),
        (Some(_), false) => Err(format!("direct accepted what pest reports: {errors:?}")),
        (None, true) => Err("direct refused what pest accepts".to_owned()),
    }
}

fn files_under(folder: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, extension, found);
        } else if path.extension().is_some_and(|found| found == extension) {
            found.push(path);
        }
    }
}

/// The fenced blocks of a Markdown file.
fn fenced_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some(String::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

#[test]
fn the_sample_reads_the_same_both_ways() {
    agree(SAMPLE).unwrap();
    assert!(direct::parse_file(SAMPLE).is_some());
}

#[test]
fn every_rules_file_and_example_reads_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in ["rules", "tests", "examples", "docs"] {
        files_under(&root.join(folder), "rules", &mut files);
    }
    assert!(files.len() > 20, "{files:?}");
    let mut texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|path| {
            Some((
                path.display().to_string(),
                std::fs::read_to_string(path).ok()?,
            ))
        })
        .collect();
    let mut markdown = Vec::new();
    files_under(&root.join("docs"), "md", &mut markdown);
    for path in markdown {
        let text = std::fs::read_to_string(&path).unwrap();
        for (index, block) in fenced_blocks(&text).into_iter().enumerate() {
            texts.push((format!("{} block {index}", path.display()), block));
        }
    }
    for (name, text) in &texts {
        if let Err(broken) = agree(text) {
            panic!("{name}: {broken}");
        }
    }
}

#[test]
fn the_roadmap_is_read_directly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/roadmap");
    let mut files = Vec::new();
    files_under(&root, "rules", &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(direct::parse_file(&text).is_some(), "{}", path.display());
    }
}

#[test]
fn edge_cases_read_the_same_both_ways() {
    let cases = [
        "",
        "   // only a comment",
        "ruleset \"x\"",
        "ruleset \"x\"\r\n\r\n",
        "ruleset \"x\" versionx \"y\"",
        "rulesetting.x { }",
        "questionfoo.bar: yesno \"x\"",
        "question a: choicex \"x\"",
        "question a: choice \"x\"",
        "question a: number1..2 \"x\"",
        "question a: number 1. \"x\"",
        "test \"t\" { expect notable.x }",
        "test \"t\" { expect not }",
        "rule r { when avg (q.*) }",
        "rule r { when avg // c\n (q.*) }",
        "rule r { when minimum(q) }",
        "rule r { when missing }",
        "rule r { when a.in }",
        "rule r { when x index }",
        "rule r { when x in[a] }",
        "rule r { when a - -b }",
        "rule r { when 1.5.5 }",
        "rule r { when \"s\" }",
        "rule r { when 1e5 }",
        "rule r { priority 99999999999999999999999999999 }",
        "scale s 1..99999999999999999999 { }",
        "theme t \"t\" { number 4294967296 }",
        "param p = 1",
        "param p = -",
        "factor f \"f\" { horizon kort\n lead x }",
        "factor f \"f\" { horizon kortx }",
        "factor f \"f\" { horizon kort .. lang }",
        "tip a.b { text \"\\t\" }",
        "tip a.b { text \"line\nbreak\" }",
        "tip a.b { text \"é€\" }",
        "template t for *, a { }",
        "template t for a, { }",
        "rule r { when count(a.*.*) }",
        "rule r { when count($a.*) + $b }",
        "rule r { when count($) }",
    ];
    for case in cases {
        if let Err(broken) = agree(case) {
            panic!("{case:?}: {broken}");
        }
    }
}

#[test]
fn nesting_at_the_limit_reads_the_same_both_ways() {
    let limit = super::MAX_NESTING;
    for depth in [limit - 2, limit - 1, limit, limit + 1] {
        let chain = vec!["a"; depth].join(" + ");
        agree(&format!("rule r {{ when {chain} }}")).unwrap();
        let calls = format!("{}a{}", "avg(".repeat(depth), ")".repeat(depth));
        agree(&format!("rule r {{ when {calls} }}")).unwrap();
    }
}

/// `text` with one edit at `at` (moved back to a character boundary).
fn edited(text: &str, at: usize, kind: u8, fragment: &str, length: usize) -> String {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + length).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match kind {
        0 => format!("{}{}", &text[..at], &text[end..]),
        1 => format!("{}{fragment}{}", &text[..at], &text[at..]),
        _ => format!("{}{fragment}{}", &text[..at], &text[end..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn edited_samples_read_the_same_both_ways(
        edits in proptest::collection::vec(
            (any::<usize>(), 0u8..3, 0..FRAGMENTS.len(), 1usize..8),
            1..4,
        )
    ) {
        let mut text = SAMPLE.to_owned();
        for (at, kind, fragment, length) in edits {
            text = edited(&text, at, kind, FRAGMENTS[fragment], length);
        }
        if let Err(broken) = agree(&text) {
            prop_assert!(false, "{}\n{}", text, broken);
        }
    }
}
