//! Stage 1, text to syntax tree: the pest grammar, a nesting pre-check and the builders
//! that turn pest pairs into the owned [`ast`]. Only this module knows pest.
//!
//! Private to the crate: the syntax tree is an internal detail of `compile` and may
//! change in any release. Its limits are public as `compile::MAX_FILE_BYTES`,
//! `compile::MAX_SYNTAX_ERRORS` and `compile::MAX_NESTING`.

pub(crate) mod ast;
mod build;
mod depth;
mod expected;
mod expr;
mod layout;
mod literal;
mod recovery;
#[cfg(test)]
mod string_tests;
#[cfg(test)]
mod tests;

pub(crate) use layout::{layout, DeclarationLayout};
pub(crate) use literal::finite_number;

use std::sync::Arc;

use pest::Parser as _;

use crate::diagnostic::{Diagnostic, DiagnosticKind, SourceFile};

/// The largest rules file parsed, in bytes (10 MiB; the whole Roadmap is under 100 kB).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// How many syntax errors are reported per file. Each costs a parse of the whole file
/// (the broken declaration blanked out), so a file of broken lines stops here.
pub const MAX_SYNTAX_ERRORS: usize = 20;

/// How deep parentheses, prefix operators and operator chains may nest. Deeper input is
/// rejected with a diagnostic before it can exhaust the stack of a recursive pass.
pub const MAX_NESTING: usize = 256;

mod grammar {
    #![allow(missing_docs)]
    //! The parser pest derives from `grammar/studentsucces.pest`.

    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/studentsucces.pest"]
    pub(super) struct RulesParser;
}

use grammar::{Rule, RulesParser};

/// Parses one rules file into its syntax tree and every syntax diagnostic found.
///
/// After a syntax error the parser blanks out the broken declaration and parses the
/// rest again, so one run reports the errors of every declaration, and the tree holds
/// every declaration that did parse.
pub(crate) fn parse(file: &Arc<SourceFile>) -> (ast::File, Vec<Diagnostic>) {
    if file.text.len() > MAX_FILE_BYTES {
        return (ast::File::default(), vec![too_large(file)]);
    }
    if let Err(too_deep) = depth::check_nesting(file) {
        return (ast::File::default(), too_deep);
    }
    let mut text = file.text.to_string();
    let mut errors = Vec::new();
    loop {
        match RulesParser::parse(Rule::file, &text) {
            Ok(pairs) => {
                let (tree, build_errors) = build::build_file(file, pairs);
                errors.extend(build_errors);
                return (tree, errors);
            }
            Err(error) => {
                let diagnostic = expected::syntax_diagnostic(file, &error);
                let position = diagnostic.span.start;
                if errors.len() == MAX_SYNTAX_ERRORS {
                    errors.push(too_many_errors(file, diagnostic.span));
                    return (ast::File::default(), errors);
                }
                errors.push(diagnostic);
                if !recovery::blank_broken_declaration(&mut text, position) {
                    return (ast::File::default(), errors);
                }
            }
        }
    }
}

/// Parses `text` as a stand-alone file called `name`; handy in tests.
#[cfg(test)]
pub(crate) fn parse_str(name: &str, text: &str) -> (ast::File, Vec<Diagnostic>) {
    parse(&Arc::new(SourceFile::new(name, text)))
}

fn too_many_errors(file: &Arc<SourceFile>, span: ast::Span) -> Diagnostic {
    let kind = DiagnosticKind::TooManySyntaxErrors {
        limit: MAX_SYNTAX_ERRORS,
    };
    Diagnostic::new(kind, file, span, "the next one")
        .with_help("fix these and check again; is this a rules file?")
}

fn too_large(file: &Arc<SourceFile>) -> Diagnostic {
    let kind = DiagnosticKind::OverLimit {
        what: format!("the file is {} bytes", file.text.len()),
        limit: format!("{MAX_FILE_BYTES} bytes"),
    };
    Diagnostic::new(kind, file, 0..0, "this file is too large")
        .with_help("split the rules into several files in one folder")
}

fn too_deep(file: &Arc<SourceFile>, span: ast::Span) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::TooDeep { limit: MAX_NESTING },
        file,
        span,
        "too deep here",
    )
    .with_help("split the expression into several rules, or use fewer parentheses")
}
