//! Regression tests of the writers and the command line as a central office runs them:
//! killed at any moment, as root, with stderr closed, onto special files, with
//! programme ids that Excel or a terminal would otherwise act on.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run as studentsucces, stderr, stdout};

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const RULES: &str = "tests/data/batch/batch.rules";

/// A programme line of JSON Lines that the batch rules advise.
const GOOD_LINE: &str = r#"{"programme": "P", "answers": {"toetsing.frequentie": 0}}"#;

/// A programme line whose answer is out of scale.
const BAD_LINE: &str = r#"{"programme": "Q", "answers": {"toetsing.frequentie": 9}}"#;

fn data(name: &str) -> String {
    format!("tests/data/batch/{name}")
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The names in a folder, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `advise - --rules batch.rules ARGS...`, reading JSON Lines from a pipe the test
/// holds open, so the run waits for more input with its outputs open.
fn advise_from_stdin(args: &[&str], stderr: Stdio) -> Child {
    Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args(["advise", "-", "--rules", RULES])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// Waits until `folder` holds `count` temporary files, and returns their names.
fn wait_for_temporaries(folder: &Path, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let temporaries: Vec<String> = names(folder)
            .into_iter()
            .filter(|name| name.contains(".studentsucces-partial-"))
            .collect();
        if temporaries.len() == count {
            return temporaries;
        }
        assert!(
            Instant::now() < deadline,
            "no temporary files: {temporaries:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_closed_stderr_is_not_a_panic() {
    let mut child = advise_from_stdin(&["--format", "jsonl"], Stdio::piped());
    // The reading end is closed before the run has anything to say.
    drop(child.stderr.take());
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{GOOD_LINE}\n{BAD_LINE}").unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(3),
        "a failed programme, not a panic (101)"
    );

    let mut check = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args([
            "check",
            "--rules",
            "tests/data/diagnostics/five_mistakes.rules",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    drop(check.stderr.take());
    assert_eq!(check.wait().unwrap().code(), Some(1));
}

#[cfg(unix)]
fn signal_removes_the_unfinished_outputs(signal: rustix::process::Signal, expected: i32) {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("advies.jsonl");
    std::fs::write(&out, "previous run\n").unwrap();
    let summary = folder.path().join("s.json");
    let mut child = advise_from_stdin(
        &["--out", path_str(&out), "--summary", path_str(&summary)],
        Stdio::piped(),
    );
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{GOOD_LINE}").unwrap();
    let pid = child.id();
    let temporaries = wait_for_temporaries(folder.path(), 2);
    assert_eq!(
        temporaries,
        [
            format!(".advies.jsonl.studentsucces-partial-{pid}"),
            format!(".s.json.studentsucces-partial-{pid}"),
        ]
    );
    let process = rustix::process::Pid::from_raw(pid.try_into().unwrap()).unwrap();
    rustix::process::kill_process(process, signal).unwrap();
    let output = child.wait_with_output().unwrap();
    drop(stdin);
    assert_eq!(code(&output), expected, "{}", stderr(&output));
    assert_eq!(
        names(folder.path()),
        ["advies.jsonl"],
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n");
    assert!(stderr(&output).contains("removed the unfinished output"));
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_temporary_files_and_exits_143() {
    signal_removes_the_unfinished_outputs(rustix::process::Signal::TERM, 143);
}

#[cfg(unix)]
#[test]
fn sigint_removes_the_temporary_files_and_exits_130() {
    signal_removes_the_unfinished_outputs(rustix::process::Signal::INT, 130);
}

#[cfg(unix)]
#[test]
fn a_temporary_file_left_by_sigkill_is_removed_by_the_next_run() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("advies.jsonl");
    let mut child = advise_from_stdin(&["--out", path_str(&out)], Stdio::null());
    let left = wait_for_temporaries(folder.path(), 1);
    assert_eq!(
        left,
        [format!(
            ".advies.jsonl.studentsucces-partial-{}",
            child.id()
        )]
    );
    // A second run while the first one lives keeps its file.
    let busy = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&busy), 0, "{}", stderr(&busy));
    assert!(folder.path().join(&left[0]).exists());
    child.kill().unwrap(); // SIGKILL: nothing can clean up.
    child.wait().unwrap();
    assert!(folder.path().join(&left[0]).exists());

    let next = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&next), 0, "{}", stderr(&next));
    assert_eq!(names(folder.path()), ["advies.jsonl"]);
}

#[test]
fn every_output_path_is_checked_before_any_work() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("advies.jsonl");
    std::fs::write(&out, "previous run\n").unwrap();
    let missing = folder.path().join("nergens").join("s.json");
    let output = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--out",
        path_str(&out),
        "--summary",
        path_str(&missing),
    ]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("s.json`: the folder `") && stderr(&output).contains("nergens"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("advised"), "no work was done");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n");
    assert_eq!(names(folder.path()), ["advies.jsonl"]);

    let onto_folder = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--format",
        "jsonl",
        "--out",
        path_str(folder.path()),
    ]);
    assert_eq!(code(&onto_folder), 2);
    assert!(stderr(&onto_folder).contains("it is a folder"));

    for command in [
        vec!["generate", "--programmes", "1", "--out"],
        vec!["questionnaire", "--out"],
    ] {
        let mut args = command.clone();
        args.push(path_str(&missing));
        let output = studentsucces(&args);
        assert_eq!(code(&output), 2, "{command:?}: {}", stderr(&output));
    }
}

#[cfg(unix)]
#[test]
fn an_output_onto_a_fifo_streams_into_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt as _;
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("advies.jsonl");
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o600)).unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let output = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--out",
        path_str(&fifo),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // Checked before joining: a FIFO replaced by a file would leave the reader waiting.
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO is still a FIFO");
    assert_eq!(reader.join().unwrap().lines().count(), 3);
    assert_eq!(names(folder.path()), ["advies.jsonl"]);
}

#[cfg(unix)]
#[test]
fn an_output_onto_a_socket_is_refused() {
    use std::os::unix::fs::FileTypeExt as _;
    let folder = tempfile::tempdir().unwrap();
    let socket = folder.path().join("advies.jsonl");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let output = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--out",
        path_str(&socket),
    ]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("it is a socket"),
        "{}",
        stderr(&output)
    );
    let kind = std::fs::symlink_metadata(&socket).unwrap().file_type();
    assert!(kind.is_socket());
}

#[cfg(unix)]
#[test]
fn an_output_through_a_symbolic_link_replaces_its_file_and_keeps_the_link() {
    let folder = tempfile::tempdir().unwrap();
    let real = folder.path().join("advies-2025.jsonl");
    std::fs::write(&real, "previous run\n").unwrap();
    let link = folder.path().join("laatste.jsonl");
    std::os::unix::fs::symlink("advies-2025.jsonl", &link).unwrap();
    let output = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--out",
        path_str(&link),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap().lines().count(), 3);
}

#[test]
fn jobs_above_the_maximum_is_a_usage_error() {
    let at_most = studentsucces(&[
        "advise",
        &data("excel_nl.csv"),
        "--rules",
        RULES,
        "--jobs",
        "256",
    ]);
    assert_eq!(code(&at_most), 0, "{}", stderr(&at_most));
    for too_many in ["257", "65535", "4294967296"] {
        let output = studentsucces(&[
            "advise",
            &data("excel_nl.csv"),
            "--rules",
            RULES,
            "--jobs",
            too_many,
        ]);
        assert_eq!(code(&output), 2, "{too_many}");
        assert!(
            stderr(&output).contains("at most 256 worker threads"),
            "{}",
            stderr(&output)
        );
    }
}

/// A JSON Lines file of programmes with these ids.
fn programmes_with_ids(folder: &Path, ids: &[&str]) -> PathBuf {
    let path = folder.join("programmas.jsonl");
    let lines: Vec<String> = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "programme": id,
                "meta": {"name": format!("{id} naam")},
                "answers": {"toetsing.frequentie": 0, "context.honours": "nee"}
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn formula_prefixes_are_neutralised_in_the_csv_long_format() {
    let folder = tempfile::tempdir().unwrap();
    let ids = [
        "=HYPERLINK(\"http://x\",\"klik\")",
        "+31",
        "-1",
        "@SUM(A1)",
        "\tB",
        "B-ICT",
    ];
    let input = programmes_with_ids(folder.path(), &ids);
    let output = studentsucces(&[
        "advise",
        path_str(&input),
        "--rules",
        RULES,
        "--format",
        "csv",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let programmes: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[0].to_owned())
        .collect();
    let mut expected: Vec<String> = ids[..5].iter().map(|id| format!("'{id}")).collect();
    expected.push("B-ICT".to_owned());
    let mut seen = programmes.clone();
    seen.dedup();
    assert_eq!(seen, expected);
}

#[test]
fn formula_like_rule_texts_stay_text_in_the_questionnaire_workbook() {
    let folder = tempfile::tempdir().unwrap();
    let rules = std::fs::read_to_string(RULES).unwrap();
    let question = "question toetsing.frequentie: maturity \"";
    assert!(rules.contains(question));
    let rules = rules.replacen(question, &format!("{question}=1+1 "), 1);
    let rules_path = folder.path().join("formule.rules");
    std::fs::write(&rules_path, rules).unwrap();
    let workbook = folder.path().join("vragenlijst.xlsx");
    for (rules, quoted) in [(RULES, false), (path_str(&rules_path), true)] {
        let output = studentsucces(&[
            "questionnaire",
            "--rules",
            rules,
            "--format",
            "xlsx",
            "--out",
            path_str(&workbook),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&workbook).unwrap()).unwrap();
        let mut styles = String::new();
        archive
            .by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        assert_eq!(styles.contains("quotePrefix=\"1\""), quoted, "{rules}");
    }
}

#[test]
fn control_characters_in_user_text_are_escaped_in_text_and_on_stderr() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("programmas.jsonl");
    let lines = [
        serde_json::json!({
            "programme": "\u{1b}]0;titel\u{7}B-ICT",
            "meta": {"name": "HBO-ICT\u{1b}[2J"},
            "answers": {"toetsing.frequentie": 0}
        }),
        serde_json::json!({
            "programme": "B\u{1b}[31mROOD",
            "answers": {"toetsing.frequentie": "\u{1b}[5mknipper"}
        }),
    ];
    let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let output = studentsucces(&["advise", path_str(&input), "--rules", RULES]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let (text, errors) = (stdout(&output), stderr(&output));
    for shown in [&text, &errors] {
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
    }
    assert!(
        text.contains("Advies voor \\u{1b}]0;titel\\u{7}B-ICT (HBO-ICT\\u{1b}[2J)"),
        "{text}"
    );
    assert!(text.contains("Geen advies voor B\\u{1b}[31mROOD"), "{text}");
    assert!(errors.contains("programme `B\\u{1b}[31mROOD`"), "{errors}");
    assert!(errors.contains("\\u{1b}[5mknipper"), "{errors}");
}
