//! Python bindings of the studentsucces advisory engine: the module `studentsucces`
//! with `RuleSet` (load, advise, advise many in parallel, explain one tip) and its
//! exceptions. Assessments and advice cross as the library's JSON shapes.

mod batch;
mod convert;
mod errors;
mod ruleset;

use pyo3::prelude::*;

/// The module `studentsucces`.
#[pymodule]
#[pyo3(name = "studentsucces")]
fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add_class::<ruleset::PyRuleSet>()?;
    module.add("Error", py.get_type::<errors::Error>())?;
    module.add("RulesError", py.get_type::<errors::RulesError>())?;
    module.add("AssessmentError", py.get_type::<errors::AssessmentError>())?;
    module.add("SCHEMA_VERSION", studentsucces::report::SCHEMA_VERSION)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
