//! The JSON Schema of an assessment as `advise` reads it; written by hand, as the
//! assessment is read by a visitor of its own rather than a derived `Deserialize`.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::input::Assessment;

impl JsonSchema for Assessment {
    fn schema_name() -> Cow<'static, str> {
        "Assessment".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "One programme's self-assessment, one JSON object (an element of a JSON array, or one line of JSON Lines). A key given twice is refused; so are keys other than these four, unless `--ignore-unknown-columns`.",
            "type": "object",
            "properties": {
                "programme": {
                    "description": "The programme's id.",
                    "type": "string"
                },
                "meta": {
                    "description": "Free metadata (name, institution, faculty, contact, ...), carried into the advice untouched.",
                    "type": "object"
                },
                "answers": {
                    "description": "Question id to answer: a number, `true`/`false` for yes/no, an option id or a scale label, a number as text (a decimal comma is read), `\"weet niet\"` or `null` for unanswered. Each question's type and range are in the catalogue.",
                    "type": "object",
                    "additionalProperties": { "type": ["number", "boolean", "string", "null"] }
                },
                "comments": {
                    "description": "Question id to the team's comment or evidence; empty and `null` comments are dropped.",
                    "type": "object",
                    "additionalProperties": { "type": ["string", "null"] }
                }
            },
            "required": ["programme"],
            "additionalProperties": false
        })
    }
}
