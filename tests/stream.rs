//! `advise --format jsonl -` as a long-running pipe: each line written gets its advice
//! (or error line) back before the next is written, without closing stdin.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::Value;

/// Long enough for a debug build on a busy machine; a pipe that waits for more input
/// never answers at all.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

/// The advise process, its stdin, and its stdout lines as they come.
struct Pipe {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Pipe {
    fn start(args: &[&str]) -> Pipe {
        let mut child = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
            .args(["advise", "--format", "jsonl", "-"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                if sender.send(line.unwrap()).is_err() {
                    return;
                }
            }
        });
        Pipe {
            stdin: child.stdin.take(),
            child,
            lines,
        }
    }

    /// Writes one line and waits for the one line it gives back.
    fn ask(&mut self, line: &str) -> Value {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        let answer = self
            .lines
            .recv_timeout(ANSWER_WITHIN)
            .unwrap_or_else(|_| panic!("no answer to `{line}` while stdin is still open"));
        serde_json::from_str(&answer).unwrap()
    }

    /// Closes stdin and returns the exit code.
    fn close(mut self) -> Option<i32> {
        drop(self.stdin.take());
        let code = self.child.wait().unwrap().code();
        assert!(self.lines.recv().is_err(), "output after the last answer");
        code
    }
}

fn assessment(programme: &str) -> String {
    serde_json::json!({
        "programme": programme,
        "answers": {"context.niveau": "bachelor", "integratie.eerste_100_dagen": 0}
    })
    .to_string()
}

#[test]
fn each_line_is_answered_before_the_next_is_written() {
    let mut pipe = Pipe::start(&[]);
    let first = pipe.ask(&assessment("P1"));
    assert_eq!(first["programme"], "P1");
    assert_eq!(first["schema_version"], 3);
    let broken = pipe.ask("{\"programme\": \"P2\", \"answers\": ");
    assert_eq!(broken["schema_version"], 3);
    assert_eq!(broken["row"], 2);
    assert!(broken["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    let third = pipe.ask(&assessment("P3"));
    assert_eq!(third["programme"], "P3");
    assert_eq!(pipe.close(), Some(3));
}

#[test]
fn a_pipe_of_good_lines_ends_with_success_when_stdin_closes() {
    let mut pipe = Pipe::start(&["--compact"]);
    for programme in ["A", "B"] {
        let answer = pipe.ask(&assessment(programme));
        assert_eq!(answer["programme"], programme);
        assert!(answer["tips"].is_array());
    }
    assert_eq!(pipe.close(), Some(0));
}

#[test]
fn piped_output_is_the_files_output() {
    let file = run_with_stdin("examples/programmes.json", None);
    let lines: Vec<String> = {
        let examples: Value =
            serde_json::from_str(&std::fs::read_to_string("examples/programmes.json").unwrap())
                .unwrap();
        examples
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect()
    };
    let piped = run_with_stdin("-", Some(lines.join("\n")));
    assert!(!file.is_empty());
    assert_eq!(piped, file);
}

/// The jsonl advice of `input`, with `stdin` written to the process.
fn run_with_stdin(input: &str, stdin: Option<String>) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args(["advise", input, "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap().stdout
}
