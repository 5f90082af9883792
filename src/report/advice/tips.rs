//! The plan's tips of an advice and the links each tip has (its prerequisites, the tips
//! that pulled it in), kept as ranges into buffers shared by all the tips rather than as
//! two vectors per tip.

use std::ops::{Deref, Range};

use super::AdvisedTip;
use crate::ruleset::TipIndex;

/// Where one tip's list lies in a buffer of [`AdvisedTips`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The span from `start` to `end`.
    pub(super) fn since(start: usize, end: usize) -> Span {
        let narrow = |position: usize| u32::try_from(position).unwrap_or(u32::MAX);
        Span {
            start: narrow(start),
            end: narrow(end),
        }
    }

    /// The positions it covers.
    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The plan's tips in plan order, each with its links, which [`AdvisedTips::after`] and
/// [`AdvisedTips::pulled_in_by`] give as slices (its reasons are the advice's,
/// [`super::Advice::because`]). Dereferences to the slice of tips.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdvisedTips<'r> {
    tips: Vec<AdvisedTip<'r>>,
    /// The `after` and `pulled_in_by` ids of every tip.
    links: Vec<&'r str>,
    /// The tips of `links`, position for position, so that the JSON writer copies each
    /// id's rendered string by its index.
    link_tips: Vec<TipIndex>,
}

impl<'r> AdvisedTips<'r> {
    /// Room for the tips of a plan of `tips` tips and, if `linked` (the rule set's tips
    /// have prerequisites), about two links each; without links the link buffers
    /// allocate nothing.
    pub(super) fn with_capacity(tips: usize, linked: bool) -> Self {
        let links = match linked {
            true => 2 * tips,
            false => 0,
        };
        AdvisedTips {
            tips: Vec::with_capacity(tips),
            links: Vec::with_capacity(links),
            link_tips: Vec::with_capacity(links),
        }
    }

    /// Whether any tip has links (`after` or `pulled_in_by`).
    pub(super) fn has_links(&self) -> bool {
        !self.links.is_empty()
    }

    /// The prerequisites of `tip` in the plan, as its `after` lists them.
    pub fn after(&self, tip: &AdvisedTip<'r>) -> &[&'r str] {
        self.links.get(tip.after.range()).unwrap_or_default()
    }

    /// For a prerequisite no rule recommended: the plan tips that need it directly.
    pub fn pulled_in_by(&self, tip: &AdvisedTip<'r>) -> &[&'r str] {
        self.links.get(tip.pulled_in_by.range()).unwrap_or_default()
    }

    /// The tips, to append to.
    pub(super) fn tips_mut(&mut self) -> &mut Vec<AdvisedTip<'r>> {
        &mut self.tips
    }

    /// The tip at `position`, to add what the first pass left out.
    pub(super) fn tip_mut(&mut self, position: usize) -> Option<&mut AdvisedTip<'r>> {
        self.tips.get_mut(position)
    }

    /// The tips of [`AdvisedTips::after`], in the same order.
    pub(super) fn after_tips(&self, tip: &AdvisedTip<'r>) -> &[TipIndex] {
        self.link_tips.get(tip.after.range()).unwrap_or_default()
    }

    /// The tips of [`AdvisedTips::pulled_in_by`], in the same order.
    pub(crate) fn pulled_in_by_tips(&self, tip: &AdvisedTip<'r>) -> &[TipIndex] {
        self.link_tips
            .get(tip.pulled_in_by.range())
            .unwrap_or_default()
    }

    /// Appends tips and their ids to the links, returning where they lie.
    pub(super) fn push_links(&mut self, links: impl Iterator<Item = (TipIndex, &'r str)>) -> Span {
        let start = self.links.len();
        for (tip, id) in links {
            self.links.push(id);
            self.link_tips.push(tip);
        }
        Span::since(start, self.links.len())
    }
}

impl<'r> Deref for AdvisedTips<'r> {
    type Target = [AdvisedTip<'r>];

    fn deref(&self) -> &[AdvisedTip<'r>] {
        &self.tips
    }
}

impl<'a, 'r> IntoIterator for &'a AdvisedTips<'r> {
    type Item = &'a AdvisedTip<'r>;
    type IntoIter = std::slice::Iter<'a, AdvisedTip<'r>>;

    fn into_iter(self) -> Self::IntoIter {
        self.tips.iter()
    }
}
