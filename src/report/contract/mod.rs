//! The JSON contract as types and JSON Schemas: owned types to read an advice back
//! ([`AdviceDocument`], [`CompactAdviceDocument`]), and the schemas of every JSON
//! document the engine reads or writes, generated from the types. They are checked in
//! under `schema/`; a test regenerates them and compares.

mod assessment;
mod document;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

pub use document::{
    AdviceDocument, AnswerDocument, CompactAdviceDocument, HandoffDocument, NotApplicableDocument,
    ScanFirstDocument, SectionDocument, TipDocument, ToEstablishDocument, UnknownState,
    WeakConfidence,
};

use super::{Catalogue, ErrorLine, InstitutionSummary};
use crate::input::Assessment;

/// One JSON Schema of the contract and the file it is checked in as.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractSchema {
    /// Its file name under `schema/`.
    pub file: &'static str,
    /// The schema (JSON Schema draft 2020-12).
    pub schema: Schema,
}

/// Every JSON Schema of the contract: the assessment input, the advice (full and
/// compact), the error line of a programme that could not be advised, the institution
/// summary and the catalogue.
pub fn contract_schemas() -> Vec<ContractSchema> {
    vec![
        read::<Assessment>("assessment.schema.json"),
        written::<AdviceDocument>("advice.v3.schema.json"),
        written::<CompactAdviceDocument>("advice-compact.v3.schema.json"),
        written::<ErrorLine>("advice-error.v3.schema.json"),
        written::<InstitutionSummary>("summary.v1.schema.json"),
        written::<Catalogue<'static>>("catalogue.v3.schema.json"),
    ]
}

/// The schema of a document the engine reads.
fn read<T: JsonSchema>(file: &'static str) -> ContractSchema {
    let generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    ContractSchema {
        file,
        schema: generator.into_root_schema_for::<T>(),
    }
}

/// The schema of a document the engine writes: a field left out when empty is optional,
/// every other field required.
fn written<T: JsonSchema>(file: &'static str) -> ContractSchema {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    ContractSchema {
        file,
        schema: generator.into_root_schema_for::<T>(),
    }
}
