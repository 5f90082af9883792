#![doc = include_str!("../README.md")]

pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod eval;
pub mod input;
pub mod report;
pub mod ruleset;
pub mod syntax;
