//! Loading the rules for any subcommand, with diagnostics rendered on stderr.

use super::{print_diagnostics, stderr, RulesArgs};
use studentsucces::compile::Compiled;
use studentsucces::input::LoadError;
use studentsucces::load::Options;
use studentsucces::plan::{Profile, ProfileError};
use studentsucces::ruleset::RuleSet;

/// Compiles the rules the arguments name, with their params and profile; on failure
/// prints why and returns `None`.
pub(super) fn load(args: &RulesArgs) -> Option<Compiled> {
    let options = options(args)?;
    let loaded = match &args.rules {
        Some(path) => RuleSet::from_path(path, &options),
        None => RuleSet::roadmap_with(&options),
    };
    match loaded {
        Ok(compiled) => Some(compiled),
        Err(error) => {
            if let Some(problems) = error.profile_problems() {
                print_profile_problems(problems);
            } else if let Some(LoadError::Invalid(diagnostics)) = error.as_load() {
                print_diagnostics(&diagnostics.0);
                let errors = diagnostics.errors().count();
                let warnings = diagnostics.warnings().count();
                stderr::error(format!(
                    "the rules have {errors} error(s) and {warnings} warning(s); \
                     `studentsucces check --explain CODE` explains a code"
                ));
            } else {
                stderr::error(error);
            }
            None
        }
    }
}

/// The params and the profile the arguments name; on failure prints why.
fn options(args: &RulesArgs) -> Option<Options> {
    let options = Options::new().params(args.params.iter().cloned());
    let Some(path) = args.profile.as_deref() else {
        return Some(options);
    };
    match Profile::read(path) {
        Ok(profile) => Some(options.profile(profile)),
        Err(ProfileError::Invalid { problems }) => {
            print_profile_problems(&problems);
            None
        }
        Err(error) => {
            stderr::error(error);
            None
        }
    }
}

/// Every problem of a profile, and their count.
fn print_profile_problems(problems: &[studentsucces::plan::ProfileProblem]) {
    for problem in problems {
        stderr::error(problem);
    }
    stderr::error(format!("the profile has {} error(s)", problems.len()));
}
