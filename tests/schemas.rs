//! The JSON contract: the schemas checked in under `schema/` are the ones the types
//! generate, every JSON document the engine writes or reads in these runs validates
//! against its schema, and the owned advice types read back exactly what the streaming
//! writer writes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, run_ok, stderr};

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use studentsucces::report::{
    contract_schemas, AdviceDocument, CompactAdviceDocument, ErrorLine, InstitutionSummary,
};

const UPDATE: &str = "UPDATE_SCHEMAS";

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")
}

/// The checked-in schema `file` as a validator.
fn validator(file: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_dir().join(file)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

/// Fails with every validation error of `instance`, naming `what`.
fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// Whether an advice output line or element is a programme that could not be advised.
fn is_error(value: &Value) -> bool {
    value.get("error").is_some()
}

/// Checks each line (or array element) against the advice or the error-line schema.
fn assert_advice_values(values: &[Value], advice_schema: &str, what: &str) {
    let (advice, error) = (
        validator(advice_schema),
        validator("advice-error.v3.schema.json"),
    );
    assert!(!values.is_empty(), "{what}: no output");
    for (index, value) in values.iter().enumerate() {
        let schema = if is_error(value) { &error } else { &advice };
        assert_valid(schema, value, &format!("{what} #{index}"));
    }
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// A generated cohort as JSON Lines, with two lines that cannot be advised.
fn cohort(dir: &Path) -> PathBuf {
    let generated = run_ok(&["generate", "--programmes", "150", "--format", "jsonl"]);
    let path = dir.join("cohort.jsonl");
    let broken = "{\"programme\": \"KAPOT\", \"answers\": {\"geen.vraag\": 3}}\nnot json\n";
    std::fs::write(&path, format!("{generated}{broken}")).unwrap();
    path
}

#[test]
fn the_checked_in_schemas_are_the_generated_ones() {
    let update = std::env::var_os(UPDATE).is_some();
    for contract in contract_schemas() {
        let path = schema_dir().join(contract.file);
        let generated = serde_json::to_string_pretty(&contract.schema).unwrap() + "\n";
        if update {
            std::fs::create_dir_all(schema_dir()).unwrap();
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "schema/{} is not what the types generate; if the change is meant, regenerate \
             the schemas with `{UPDATE}=1 cargo test --test schemas` (and raise the schema \
             version for an incompatible change)",
            contract.file
        );
    }
}

#[test]
fn the_inputs_match_the_assessment_schema() {
    let assessment = validator("assessment.schema.json");
    let examples: Value =
        serde_json::from_str(&std::fs::read_to_string("examples/programmes.json").unwrap())
            .unwrap();
    for (index, value) in examples.as_array().unwrap().iter().enumerate() {
        assert_valid(
            &assessment,
            value,
            &format!("examples/programmes.json #{index}"),
        );
    }
    let generated = run_ok(&["generate", "--programmes", "50", "--format", "jsonl"]);
    for (index, value) in lines(&generated).iter().enumerate() {
        assert_valid(
            &assessment,
            value,
            &format!("generated assessment #{index}"),
        );
    }
    let unknown_key = serde_json::json!({"programme": "P", "antwoorden": {}});
    assert!(!assessment.is_valid(&unknown_key));
}

#[test]
fn the_advice_of_the_examples_and_a_cohort_matches_its_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = cohort(dir.path());
    let cohort = cohort.to_str().unwrap();
    for (input, args) in [
        ("examples/programmes.csv", vec![]),
        (
            "examples/programmes.json",
            vec!["--profile", "examples/institution-profile.toml"],
        ),
        (cohort, vec![]),
    ] {
        let mut full = vec!["advise", input, "--format", "jsonl"];
        full.extend(&args);
        let output = run(&full);
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_advice_values(&lines(&stdout), "advice.v3.schema.json", input);
        full.push("--compact");
        let output = run(&full);
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_advice_values(&lines(&stdout), "advice-compact.v3.schema.json", input);
    }
    let array = run(&["advise", cohort, "--format", "json"]);
    let array: Value = serde_json::from_slice(&array.stdout).unwrap();
    assert_advice_values(
        array.as_array().unwrap(),
        "advice.v3.schema.json",
        "json array",
    );
}

#[test]
fn the_error_lines_carry_the_schema_version_row_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&[
        "advise",
        cohort(dir.path()).to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let errors: Vec<ErrorLine> = lines(&String::from_utf8(output.stdout).unwrap())
        .into_iter()
        .filter(is_error)
        .map(|value| serde_json::from_value(value).unwrap())
        .collect();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|line| line.schema_version == 3));
    assert_eq!(errors[1].row, 152);
    assert!(errors[1].error.message.contains("not valid JSON"));
}

#[test]
fn the_summary_and_the_catalogue_match_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.json");
    let output = run(&[
        "advise",
        cohort(dir.path()).to_str().unwrap(),
        "--format",
        "jsonl",
        "--summary",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(summary).unwrap()).unwrap();
    assert_valid(
        &validator("summary.v1.schema.json"),
        &summary,
        "the summary",
    );
    let summary: InstitutionSummary = serde_json::from_value(summary).unwrap();
    assert_eq!((summary.schema_version, summary.failed), (1, 2));

    let catalogue = validator("catalogue.v3.schema.json");
    for args in [
        vec!["catalogue"],
        vec![
            "catalogue",
            "--profile",
            "examples/institution-profile.toml",
        ],
    ] {
        let written: Value = serde_json::from_str(&run_ok(&args)).unwrap();
        assert_valid(&catalogue, &written, &args.join(" "));
    }
}

/// Reads `value` into `T`, refusing unknown fields, and checks that writing it back
/// gives the same JSON value.
fn assert_round_trip<T: DeserializeOwned + Serialize>(value: &Value, what: &str) {
    let read: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("{what} does not read back: {error}"));
    assert_eq!(&serde_json::to_value(&read).unwrap(), value, "{what}");
}

#[test]
fn the_owned_advice_types_read_back_exactly_what_the_writer_writes() {
    for input in ["examples/programmes.csv", "examples/programmes.json"] {
        let full = lines(&run_ok(&["advise", input, "--format", "jsonl"]));
        let compact = lines(&run_ok(&[
            "advise",
            input,
            "--format",
            "jsonl",
            "--compact",
        ]));
        assert!(!full.is_empty());
        for (value, compact) in full.iter().zip(&compact) {
            assert_round_trip::<AdviceDocument>(value, input);
            assert_round_trip::<CompactAdviceDocument>(compact, input);
        }
    }
}

#[test]
fn a_wrong_advice_does_not_match_the_schema() {
    let advice = validator("advice.v3.schema.json");
    let mut value = lines(&run_ok(&[
        "advise",
        "examples/programmes.json",
        "--format",
        "jsonl",
    ]))
    .swap_remove(0);
    assert_valid(&advice, &value, "the advice");
    value["tips"][0]["cycle"] = Value::from(4);
    assert!(!advice.is_valid(&value));
    value["tips"][0]["cycle"] = Value::from(1);
    value["extra"] = Value::from(true);
    assert!(!advice.is_valid(&value));
}
