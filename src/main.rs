//! The `studentsucces` command: a thin layer over the library. Its own `cli` module
//! parses the arguments, reads files, calls `studentsucces::…` and picks the exit code.

mod cli;

use clap::Parser;
use cli::{run, Cli, Exit};

fn main() -> Exit {
    run(Cli::parse())
}
