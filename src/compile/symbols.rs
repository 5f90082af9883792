//! Symbol tables: one namespace per kind of declaration, with duplicate detection and
//! "did you mean" suggestions for unknown names.

use std::sync::Arc;

use super::fx::FxHashMap;

use crate::diagnostic::{Diagnostic, DiagnosticKind, LineColumn, SourceFile};
use crate::ruleset::{QuestionIndex, RuleIndex, SectionIndex, StakeholderIndex, TipIndex};
use crate::syntax::ast::Name;

/// The index a table hands out: a position in declaration order, typed per namespace
/// where the rule set has an id type for it.
pub(super) trait Id: Copy {
    /// The id of the declaration at this position; `None` past `u32::MAX`.
    fn from_position(position: usize) -> Option<Self>;
    /// The position of the declaration with this id.
    fn position(self) -> usize;
}

impl Id for u32 {
    fn from_position(position: usize) -> Option<Self> {
        u32::try_from(position).ok()
    }
    fn position(self) -> usize {
        self as usize
    }
}

macro_rules! dense_ids {
    ($($name:ty),*) => {$(
        impl Id for $name {
            fn from_position(position: usize) -> Option<Self> {
                <$name>::from_position(position)
            }
            fn position(self) -> usize {
                self.index()
            }
        }
    )*};
}
dense_ids!(
    QuestionIndex,
    RuleIndex,
    SectionIndex,
    StakeholderIndex,
    TipIndex
);

/// Ids of one kind, in declaration order, each with where it was declared.
#[derive(Debug, Default)]
pub(super) struct Table<I = u32> {
    what: &'static str,
    index: FxHashMap<String, I>,
    declared_at: Vec<(Arc<SourceFile>, Name)>,
}

impl<I: Id> Table<I> {
    /// An empty table for declarations called `what` in messages.
    pub fn new(what: &'static str) -> Self {
        Table {
            what,
            index: FxHashMap::default(),
            declared_at: Vec::new(),
        }
    }

    /// Makes room for `additional` more declarations, so the table fills without
    /// growing (and rehashing every id) on the way.
    pub fn reserve(&mut self, additional: usize) {
        self.index.reserve(additional);
        self.declared_at.reserve(additional);
    }

    /// Declares `name`; a second declaration is reported and gets no index.
    pub fn declare(
        &mut self,
        file: &Arc<SourceFile>,
        name: &Name,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<I> {
        if let Some(&first) = self.index.get(&name.text) {
            diagnostics.push(self.duplicate(file, name, first));
            return None;
        }
        let index = I::from_position(self.declared_at.len())?;
        self.index.insert(name.text.clone(), index);
        self.declared_at.push((Arc::clone(file), name.clone()));
        Some(index)
    }

    fn duplicate(&self, file: &Arc<SourceFile>, name: &Name, first: I) -> Diagnostic {
        let kind = DiagnosticKind::Duplicate {
            what: self.what,
            name: name.text.clone(),
        };
        let diagnostic = Diagnostic::new(kind, file, name.span.clone(), "declared again here");
        match self.declared_at.get(first.position()) {
            Some((first_file, first_name)) => {
                let at = LineColumn::of(&first_file.text, first_name.span.start);
                diagnostic.with_help(format!(
                    "`{}` is first declared at {}:{}:{}; give this one another id",
                    name.text, first_file.name, at.line, at.column
                ))
            }
            None => diagnostic,
        }
    }

    /// The index of `name`, if declared.
    pub fn get(&self, name: &str) -> Option<I> {
        self.index.get(name).copied()
    }

    /// Looks `name` up; an unknown name is reported with the closest declared one.
    pub fn resolve(
        &self,
        file: &Arc<SourceFile>,
        name: &Name,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<I> {
        let found = self.get(&name.text);
        if found.is_none() {
            diagnostics.push(unknown(self.what, file, name, self.names()));
        }
        found
    }

    /// Every declared id, in declaration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.declared_at.iter().map(|(_, name)| name.text.as_str())
    }

    /// Where the declaration with this index stands.
    pub fn declared_at(&self, index: I) -> Option<&(Arc<SourceFile>, Name)> {
        self.declared_at.get(index.position())
    }
}

/// An "unknown `what` `name`" diagnostic, suggesting the closest of `candidates`.
pub(super) fn unknown<'a>(
    what: &'static str,
    file: &Arc<SourceFile>,
    name: &Name,
    candidates: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let kind = DiagnosticKind::Unknown {
        what,
        name: name.text.clone(),
    };
    let diagnostic = Diagnostic::new(
        kind,
        file,
        name.span.clone(),
        format!("no {what} has this id"),
    );
    match crate::diagnostic::closest(&name.text, candidates) {
        Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
        None => diagnostic.with_help(format!("declare the {what} first, or check the spelling")),
    }
}
