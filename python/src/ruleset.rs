//! `studentsucces.RuleSet`: a compiled rule set, shared read-only by every thread.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use studentsucces::{Compiled, Options, RuleSet};

use crate::batch::{advise_values, Outcome};
use crate::convert::{advice_json, assessment, json_value, loads};
use crate::errors::{advice_error, assessment_error, rules_error, AssessmentError};

/// A compiled rule set: the embedded Roadmap (`RuleSet.roadmap()`) or rules read from a
/// file or folder (`RuleSet.from_path(path)`). Immutable; safe to share between threads.
#[pyclass(frozen, module = "studentsucces", name = "RuleSet")]
pub struct PyRuleSet {
    ruleset: RuleSet,
    warnings: Vec<String>,
}

/// The library's options: param overrides in name order (so that the rule set's hash
/// does not depend on the order of a dict) and an institution profile file.
fn options(params: Option<BTreeMap<String, f64>>, profile: Option<PathBuf>) -> PyResult<Options> {
    let options = Options::new().params(
        params
            .unwrap_or_default()
            .into_iter()
            .map(|(name, value)| studentsucces::compile::ParamOverride { name, value }),
    );
    match profile {
        Some(path) => options
            .profile_path(path)
            .map_err(|error| rules_error(&error)),
        None => Ok(options),
    }
}

impl PyRuleSet {
    /// Loads a rule set without the GIL; its warnings rendered one per entry.
    fn load(
        py: Python<'_>,
        load: impl FnOnce(&Options) -> Result<Compiled, studentsucces::Error> + Send,
        options: &Options,
    ) -> PyResult<PyRuleSet> {
        let compiled = py
            .detach(|| load(options))
            .map_err(|error| rules_error(&error))?;
        let warnings = compiled
            .warnings()
            .0
            .iter()
            .map(ToString::to_string)
            .collect();
        Ok(PyRuleSet {
            ruleset: compiled.into_ruleset(),
            warnings,
        })
    }

    /// The advice of one assessment as JSON bytes, or an [`AssessmentError`].
    fn advise_bytes(&self, py: Python<'_>, assessment_: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
        let value = json_value(assessment_).map_err(assessment_error)?;
        py.detach(|| {
            let assessment = assessment(value)?;
            let advice = self
                .ruleset
                .advise(&assessment)
                .map_err(|error| error.to_string())?;
            Ok::<_, String>(advice_json(&advice))
        })
        .map_err(assessment_error)
    }
}

#[pymethods]
impl PyRuleSet {
    /// The Roadmap to studentsucces as embedded in the library, with optional param
    /// overrides (`{"in_place": 4}`) and an institution profile (a TOML file). Raises
    /// `RulesError` when an override or the profile does not fit.
    #[staticmethod]
    #[pyo3(signature = (params=None, profile=None))]
    fn roadmap(
        py: Python<'_>,
        params: Option<BTreeMap<String, f64>>,
        profile: Option<PathBuf>,
    ) -> PyResult<PyRuleSet> {
        let options = options(params, profile)?;
        PyRuleSet::load(py, RuleSet::roadmap_with, &options)
    }

    /// The rules in a `.rules` file or a folder of them, with optional param overrides
    /// and profile. Raises `RulesError` with the rendered diagnostics when they do not
    /// compile.
    #[staticmethod]
    #[pyo3(signature = (path, params=None, profile=None))]
    fn from_path(
        py: Python<'_>,
        path: PathBuf,
        params: Option<BTreeMap<String, f64>>,
        profile: Option<PathBuf>,
    ) -> PyResult<PyRuleSet> {
        let options = options(params, profile)?;
        PyRuleSet::load(py, |options| RuleSet::from_path(&path, options), &options)
    }

    /// The rule set's name, from its `ruleset` declaration.
    #[getter]
    fn name(&self) -> &str {
        &self.ruleset.info().name
    }

    /// The rule set's version, from its `ruleset` declaration.
    #[getter]
    fn version(&self) -> &str {
        &self.ruleset.info().version
    }

    /// SHA-256 (hex) of the rule sources, param overrides and profile: every advice names it.
    #[getter]
    fn hash(&self) -> &str {
        &self.ruleset.info().hash
    }

    /// The compiler's warnings (tips no rule recommends, questions no rule reads).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Every param and the value in use (the default or the override).
    #[getter]
    fn params(&self) -> BTreeMap<String, f64> {
        self.ruleset
            .params()
            .iter()
            .map(|param| (param.id.clone(), param.value))
            .collect()
    }

    /// Every tip id, in the rule set's order.
    #[getter]
    fn tips(&self) -> Vec<String> {
        self.ruleset
            .tips()
            .iter()
            .map(|tip| tip.id.clone())
            .collect()
    }

    /// Advises one assessment (`{"programme": ..., "answers": {...}}`, as in the JSON
    /// input of `studentsucces advise`): the advice document, schema version 3. Raises
    /// `AssessmentError` when the assessment does not fit the rules.
    fn advise<'py>(
        &self,
        py: Python<'py>,
        assessment: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = self.advise_bytes(py, assessment)?;
        loads(py, &json)
    }

    /// Advises many assessments in parallel, without the GIL, in input order. With
    /// `errors="raise"` the first assessment that cannot be advised raises
    /// `AssessmentError` naming its index; with `errors="return"` its place holds
    /// `{"index": i, "programme": ..., "error": message}` instead.
    #[pyo3(signature = (assessments, errors="raise"))]
    fn advise_many<'py>(
        &self,
        py: Python<'py>,
        assessments: &Bound<'py, PyAny>,
        errors: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let raise = match errors {
            "raise" => true,
            "return" => false,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be \"raise\" or \"return\", not {other:?}"
                )))
            }
        };
        let values: Vec<_> = assessments
            .try_iter()?
            .map(|item| item.map(|item| json_value(&item)))
            .collect::<PyResult<_>>()?;
        let outcomes = py.detach(|| advise_values(&self.ruleset, values));
        let results = PyList::empty(py);
        for (index, outcome) in outcomes.into_iter().enumerate() {
            results.append(outcome_object(py, index, outcome, raise)?)?;
        }
        Ok(results)
    }

    /// Why a tip is or is not in the advice of one assessment, as the library explains
    /// it: its status (`recommended`, `pulled_in`, `to_establish`, `not_applicable` or
    /// `not_advised`), every rule that fired for it, and its place in the plan. Raises
    /// `KeyError` for a tip id the rules do not have.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        assessment: &Bound<'py, PyAny>,
        tip: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let value = json_value(assessment).map_err(assessment_error)?;
        let json = py.detach(|| {
            let assessment = crate::convert::assessment(value).map_err(assessment_error)?;
            let explanation = self
                .ruleset
                .explain(&assessment, tip)
                .map_err(|error| advice_error(&error))?;
            serde_json::to_vec(&explanation).map_err(|error| assessment_error(error.to_string()))
        })?;
        loads(py, &json)
    }

    fn __repr__(&self) -> String {
        let info = self.ruleset.info();
        format!(
            "<RuleSet {:?} version {:?} hash {}…>",
            info.name,
            info.version,
            info.hash.get(..12).unwrap_or(&info.hash)
        )
    }
}

/// One outcome of `advise_many` as a Python object, or the error to raise.
fn outcome_object<'py>(
    py: Python<'py>,
    index: usize,
    outcome: Outcome,
    raise: bool,
) -> PyResult<Bound<'py, PyAny>> {
    match outcome {
        Outcome::Advised(json) => loads(py, &json),
        Outcome::Failed { message, .. } if raise => Err(AssessmentError::new_err(format!(
            "assessment {index}: {message}"
        ))),
        Outcome::Failed { programme, message } => {
            let entry = PyDict::new(py);
            entry.set_item("index", index)?;
            entry.set_item("programme", programme)?;
            entry.set_item("error", message)?;
            Ok(entry.into_any())
        }
    }
}
