//! Institution profiles: every problem is reported with file, line and column and what
//! was expected; a bad profile leaves the rule set as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

use studentsucces::plan::{Profile, ProfileError};
use studentsucces::ruleset::RuleSet;
use studentsucces::{ErrorKind, Options};

fn small() -> RuleSet {
    small_with(&Options::default())
}

fn small_with(options: &Options) -> RuleSet {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plan/small.rules");
    RuleSet::from_path(path, options).unwrap().into_ruleset()
}

/// Every problem of a profile text as `line:column: message`.
fn problems(text: &str) -> Vec<String> {
    let error = match Profile::parse("p.toml", text) {
        Ok(profile) => profile.resolve(&small()).unwrap_err(),
        Err(error) => error,
    };
    let ProfileError::Invalid { problems } = error else {
        panic!("expected problems, got {error}");
    };
    problems
        .into_iter()
        .map(|problem| {
            assert_eq!(problem.file, "p.toml");
            format!("{}:{}: {}", problem.line, problem.column, problem.message)
        })
        .collect()
}

fn check(text: &str, expected: &[&str]) {
    assert_eq!(problems(text), expected, "profile:\n{text}");
}

#[test]
fn an_unknown_role_is_named_with_a_suggestion() {
    check(
        "[merge]\npraktijkburo = \"directie\"\n",
        &["2:1: unknown role `praktijkburo`, expected a stakeholder id of the rule set; did you mean `praktijkbureau`?"],
    );
    check(
        "remove = [\"studnet\"]\n",
        &["1:11: unknown role `studnet`, expected a stakeholder id of the rule set; did you mean `student`?"],
    );
}

#[test]
fn toml_errors_name_line_and_column() {
    let found = problems("name = \"x\"\n[merge\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("2:"), "{found:?}");
    let found = problems("name = \"x\"\nremove = \"student\"\n");
    assert!(
        found[0].starts_with("2:10: invalid type: string \"student\", expected a sequence"),
        "{found:?}"
    );
}

#[test]
fn an_unknown_key_lists_the_keys_a_profile_has() {
    let found = problems("name = \"x\"\nrenames = {}\n");
    assert!(
        found[0].starts_with("2:1: unknown field `renames`, expected one of"),
        "{found:?}"
    );
}

#[test]
fn a_key_after_a_table_belongs_to_the_table() {
    // TOML reads `remove` here as a merge of the role `remove`: the error says so.
    let found = problems("[merge]\npraktijkbureau = \"directie\"\nremove = [\"student\"]\n");
    assert!(
        found[0].starts_with("3:10: invalid type: sequence, expected a string"),
        "{found:?}"
    );
}

#[test]
fn merges_must_point_at_a_role_that_stays() {
    check(
        "remove = [\"student\"]\n[merge]\ndocenten = \"student\"\n",
        &["3:12: role `student` is removed, so no role can merge into it; expected a role that stays"],
    );
    check(
        "[merge]\npraktijkbureau = \"directie\"\ndirectie = \"docenten\"\n",
        &["2:18: role `directie` is itself merged into `docenten`; expected a role that stays (merge into `docenten` directly)"],
    );
    check(
        "[merge]\ndocenten = \"docenten\"\n",
        &["2:1: role `docenten` cannot merge into itself; expected another role"],
    );
    check(
        "remove = [\"student\"]\n[merge]\nstudent = \"docenten\"\n",
        &["3:1: role `student` is both removed and merged; expected one of the two"],
    );
}

#[test]
fn renames_need_a_role_that_stays_and_a_name() {
    check(
        "remove = [\"student\"]\n[rename]\nstudent = \"Studenten\"\ndocenten = \" \"\n",
        &[
            "3:1: role `student` is removed or merged, so it cannot be renamed; expected a role that stays",
            "4:12: the new name of `docenten` is empty; expected a display name",
        ],
    );
}

#[test]
fn every_problem_is_reported_in_file_order() {
    check(
        "remove = [\"student\", \"student\", \"nobody\"]\n[rename]\nzz = \"Z\"\n",
        &[
            "1:22: role `student` is listed twice in `remove`",
            "1:33: unknown role `nobody`, expected a stakeholder id of the rule set",
            "3:1: unknown role `zz`, expected a stakeholder id of the rule set",
        ],
    );
}

#[test]
fn a_bad_profile_is_an_error_of_loading() {
    let profile = Profile::parse(
        "p.toml",
        "remove = [\"student\"]\n[rename]\nstudent = \"S\"\n",
    )
    .unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plan/small.rules");
    let error = RuleSet::from_path(path, &Options::new().profile(profile)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Profile);
    assert!(!error.profile_problems().unwrap().is_empty());
}

#[test]
fn the_content_hash_covers_the_profile() {
    let profile = |text: &str| Options::new().profile(Profile::parse("a.toml", text).unwrap());
    let plain = small().info().hash.clone();
    let removed = small_with(&profile("remove = [\"student\"]\n"));
    let again = small_with(&profile("remove = [\"student\"]\n"));
    let renamed = small_with(&profile("[rename]\nstudent = \"Studenten\"\n"));
    assert_ne!(removed.info().hash, plain);
    assert_eq!(removed.info().hash, again.info().hash);
    assert_ne!(renamed.info().hash, removed.info().hash);
    let roles = renamed.roles();
    assert_eq!(roles.profile(), Some("a"));
    assert_eq!(
        roles.get(roles.index_of("student").unwrap()).unwrap().name,
        "Studenten"
    );
}

#[test]
fn an_unreadable_profile_names_its_path() {
    let error = Profile::read(Path::new("/nonexistent/profile.toml")).unwrap_err();
    assert!(matches!(error, ProfileError::Io { .. }));
    assert!(
        error
            .to_string()
            .starts_with("cannot read profile `/nonexistent/profile.toml`"),
        "{error}"
    );
}

#[test]
fn the_cli_reports_profile_problems_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[merge]\npraktijkburo = \"directie_opleiding\"\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args(["check", "--profile"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!("error: {}:2:1: unknown role `praktijkburo`", path.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        stderr.contains("did you mean `praktijkbureau`?"),
        "{stderr}"
    );
}
