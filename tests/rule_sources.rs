//! Reading rules from disk: encodings (byte-order mark, invalid UTF-8), folders (symbolic
//! link loops, depth, number of files), file size, and empty rule sets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, stderr};

use std::path::Path;

use studentsucces::compile::{compile, MAX_FILE_BYTES};
use studentsucces::diagnostic::{DiagnosticKind, Severity, SourceFile};
use studentsucces::input::{
    read_sources, LoadError, MAX_FOLDER_DEPTH, MAX_RULES_FILES, MAX_RULES_FILE_BYTES,
    MAX_RULES_TOTAL_BYTES,
};
use studentsucces::ruleset::RuleSet;

const VALID: &str = r#"ruleset "Bronnen" version "1"
stakeholder s "S"
theme t "T" { number 1 }
factor f "F" { number 1 theme t horizon kort stakeholders s }
tip f.a { text "A" }
scale maturity 0..4 { }
question f.a: maturity "Q?"
rule f.a { when f.a < 2 recommend f.a because "b" }
"#;

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_byte_order_mark_is_skipped_and_lines_and_columns_stay_right() {
    let folder = tempfile::tempdir().unwrap();
    let plain = folder.path().join("plain/a.rules");
    let marked = folder.path().join("marked/a.rules");
    write(&plain, VALID);
    write(&marked, format!("\u{feff}{VALID}"));
    let hash = |path: &Path| {
        RuleSet::from_path(path, &studentsucces::Options::default())
            .unwrap()
            .into_ruleset()
            .info()
            .hash
            .clone()
    };
    // The mark is no content: the same rules hash alike with and without it.
    assert_eq!(hash(&plain), hash(&marked));

    let broken = folder.path().join("broken.rules");
    write(&broken, "\u{feff}stakeholder 5 \"S\"\n");
    let loaded = RuleSet::from_path(&broken, &studentsucces::Options::default());
    let diagnostics = match loaded.as_ref().map_err(|error| error.as_load()) {
        Err(Some(LoadError::Invalid(diagnostics))) => diagnostics,
        other => panic!("{other:?}"),
    };
    let error = diagnostics.errors().next().unwrap();
    let at = error.location();
    assert_eq!((at.line, at.column), (1, 13), "{error}");
    assert_eq!(&error.file.text[error.span.clone()], "5");
    // A library caller passing text with a mark gets the same.
    let source = SourceFile::new("lib.rules", format!("\u{feff}{VALID}"));
    assert!(source.text.starts_with("ruleset"));
}

#[test]
fn invalid_utf8_is_reported_at_the_line_and_column_of_its_first_byte() {
    let folder = tempfile::tempdir().unwrap();
    // "café" in Windows-1252: é is the single byte 0xE9.
    write(
        &folder.path().join("a.rules"),
        b"stakeholder s \"S\"\nstakeholder c \"caf\xE9\"\n",
    );
    write(&folder.path().join("b.rules"), b"\xFF");
    write(&folder.path().join("c.rules"), VALID);
    let diagnostics = match read_sources(folder.path()) {
        Err(LoadError::Invalid(diagnostics)) => diagnostics,
        other => panic!("{other:?}"),
    };
    let found: Vec<(String, usize, usize, String)> = diagnostics
        .0
        .iter()
        .map(|d| {
            let name = Path::new(&d.file.name).file_name().unwrap();
            let at = d.location();
            (
                name.to_string_lossy().into_owned(),
                at.line,
                at.column,
                d.kind.to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "a.rules".to_owned(),
                2,
                19,
                "not valid UTF-8: byte 0xE9 is no part of a UTF-8 character here".to_owned()
            ),
            (
                "b.rules".to_owned(),
                1,
                1,
                "not valid UTF-8: byte 0xFF is no part of a UTF-8 character here".to_owned()
            ),
        ]
    );
    let rendered = diagnostics.render_plain();
    assert!(rendered.contains("save the file as UTF-8"), "{rendered}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_in_a_rules_folder_is_an_error_not_a_hang() {
    let folder = tempfile::tempdir().unwrap();
    write(&folder.path().join("rules/a.rules"), VALID);
    std::fs::create_dir_all(folder.path().join("rules/sub")).unwrap();
    std::os::unix::fs::symlink("..", folder.path().join("rules/sub/up")).unwrap();
    let error = read_sources(&folder.path().join("rules")).unwrap_err();
    let LoadError::Loop { path, target } = &error else {
        panic!("{error:?}")
    };
    assert!(path.ends_with("sub/up"), "{path:?}");
    assert_eq!(*target, folder.path().join("rules").canonicalize().unwrap());
    assert!(
        error.to_string().contains("a folder already read"),
        "{error}"
    );

    // A link to a folder outside, reached once, is read like any folder.
    let shared = tempfile::tempdir().unwrap();
    write(&shared.path().join("shared.rules"), "stakeholder t \"T\"\n");
    let rules = folder.path().join("linked");
    write(&rules.join("a.rules"), VALID);
    std::os::unix::fs::symlink(shared.path(), rules.join("shared")).unwrap();
    assert_eq!(read_sources(&rules).unwrap().len(), 2);
}

/// A folder with `VALID` in its root and an empty `.rules` file `depth` folders below.
fn nested(depth: usize) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    write(&folder.path().join("a.rules"), VALID);
    let mut deepest = folder.path().to_owned();
    for level in 0..depth {
        deepest.push(format!("d{level}"));
    }
    write(&deepest.join("deep.rules"), "// deepest\n");
    folder
}

#[test]
fn rules_16_folders_deep_are_read_and_17_deep_is_an_error() {
    assert_eq!(MAX_FOLDER_DEPTH, 16);
    let folder = nested(MAX_FOLDER_DEPTH);
    assert_eq!(read_sources(folder.path()).unwrap().len(), 2);
    let folder = nested(MAX_FOLDER_DEPTH + 1);
    let error = read_sources(folder.path()).unwrap_err();
    assert!(
        matches!(error, LoadError::TooDeep { limit: 16, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("is more than 16 folders deep"),
        "{error}"
    );
}

#[test]
fn a_thousand_rules_files_are_read_and_one_more_is_an_error() {
    assert_eq!(MAX_RULES_FILES, 1000);
    let folder = tempfile::tempdir().unwrap();
    write(&folder.path().join("0000.rules"), VALID);
    for index in 1..MAX_RULES_FILES {
        write(
            &folder.path().join(format!("{index:04}.rules")),
            "// leeg\n",
        );
    }
    assert_eq!(read_sources(folder.path()).unwrap().len(), MAX_RULES_FILES);
    write(&folder.path().join("1000.rules"), "// een te veel\n");
    let error = read_sources(folder.path()).unwrap_err();
    assert!(
        matches!(error, LoadError::TooManyFiles { limit: 1000, .. }),
        "{error:?}"
    );
}

#[test]
fn a_rules_file_of_10_mib_is_read_and_one_byte_more_is_refused_without_reading_it_all() {
    assert_eq!(MAX_RULES_FILE_BYTES, 10 * 1024 * 1024);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("big.rules");
    let padding = MAX_RULES_FILE_BYTES as usize - VALID.len();
    write(&path, format!("{VALID}{}", " ".repeat(padding)));
    assert_eq!(read_sources(&path).unwrap()[0].text.len(), MAX_FILE_BYTES);
    write(&path, format!("{VALID}{}", " ".repeat(padding + 1)));
    let error = read_sources(&path).unwrap_err();
    assert!(matches!(error, LoadError::TooLarge { .. }), "{error:?}");
    assert!(error
        .to_string()
        .ends_with("is larger than 10485760 bytes, the limit for a rules file"));
}

#[test]
fn rules_files_of_32_mib_together_are_read_and_one_byte_more_is_refused() {
    assert_eq!(MAX_RULES_TOTAL_BYTES, 32 * 1024 * 1024);
    let folder = tempfile::tempdir().unwrap();
    write(&folder.path().join("a.rules"), VALID);
    let mut left = MAX_RULES_TOTAL_BYTES as usize - VALID.len();
    for name in ["b", "c", "d", "e"] {
        let size = left.min(MAX_RULES_FILE_BYTES as usize);
        write(
            &folder.path().join(format!("{name}.rules")),
            " ".repeat(size),
        );
        left -= size;
    }
    assert_eq!(left, 0);
    assert_eq!(read_sources(folder.path()).unwrap().len(), 5);
    write(&folder.path().join("f.rules"), " ");
    let error = read_sources(folder.path()).unwrap_err();
    assert!(
        matches!(error, LoadError::TooLargeTogether { .. }),
        "{error:?}"
    );
}

#[test]
fn an_empty_rule_set_is_an_error_with_help() {
    for text in ["", "   // nothing yet\n", "stakeholder s \"S\"\n"] {
        let diagnostics = compile(vec![SourceFile::new("empty.rules", text)], &[]).unwrap_err();
        let errors: Vec<_> = diagnostics.errors().collect();
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert_eq!(
            errors[0].kind.to_string(),
            "the rule set has no tip, so it can advise nothing"
        );
        assert!(errors[0].help.as_deref().unwrap().contains("tip f.x"));
    }
    let diagnostics = compile(Vec::new(), &[]).unwrap_err();
    assert_eq!(diagnostics.errors().count(), 1);
    let output = run(&["check", "--rules", "tests/data/diagnostics/empty.rules"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no tip, so it can advise nothing"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn tips_without_any_rule_are_warned_about_one_by_one() {
    let no_rule = VALID.replace("rule f.a { when f.a < 2 recommend f.a because \"b\" }", "");
    let compiled = compile(vec![SourceFile::new("norule.rules", no_rule)], &[]).unwrap();
    let messages: Vec<String> = compiled
        .warnings
        .0
        .iter()
        .map(|d| d.kind.to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "tip `f.a` is recommended by no rule",
            "question `f.a` is read by no rule"
        ]
    );
}

#[test]
fn an_empty_file_among_others_is_a_warning() {
    let sources = vec![
        SourceFile::new("a.rules", VALID),
        SourceFile::new("b.rules", "// later\n"),
    ];
    let compiled = compile(sources, &[]).unwrap();
    let warnings: Vec<_> = compiled.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, DiagnosticKind::EmptyFile);
    assert_eq!(warnings[0].file.name, "b.rules");
    assert_eq!(warnings[0].severity(), Severity::Warning);
}
