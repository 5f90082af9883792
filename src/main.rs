//! The `studentsucces` command; all of its work is in the library's `cli` module.

use clap::Parser;
use studentsucces::cli::{run, Cli, Exit};

fn main() -> Exit {
    run(Cli::parse())
}
