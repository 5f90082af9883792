#![doc = include_str!("../README.md")]

pub mod batch;
pub mod compile;
pub mod diagnostic;
pub mod eval;
pub mod input;
pub mod load;
pub mod plan;
pub mod report;
pub mod ruleset;
pub mod syntax;
