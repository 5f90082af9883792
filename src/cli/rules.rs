//! Loading the rules for any subcommand, with diagnostics rendered on stderr.

use super::{print_diagnostics, stderr, RulesArgs};
use studentsucces::compile::Compiled;
use studentsucces::input::LoadError;
use studentsucces::plan::{Profile, ProfileError};
use studentsucces::ruleset::RuleSet;

/// Compiles the rules the arguments name; on failure prints why and returns `None`.
pub(super) fn load(args: &RulesArgs) -> Option<Compiled> {
    let loaded = match &args.rules {
        Some(path) => RuleSet::from_path_with(path, &args.params),
        None => RuleSet::roadmap_with(&args.params),
    };
    match loaded {
        Ok(compiled) => with_profile(compiled, args.profile.as_deref()),
        Err(LoadError::Invalid(diagnostics)) => {
            print_diagnostics(&diagnostics.0);
            let errors = diagnostics.errors().count();
            let warnings = diagnostics.warnings().count();
            stderr::error(format!(
                "the rules have {errors} error(s) and {warnings} warning(s)"
            ));
            None
        }
        Err(error) => {
            stderr::error(error);
            None
        }
    }
}

/// Applies the institution profile, if one is named; on failure prints every problem.
fn with_profile(mut compiled: Compiled, profile: Option<&std::path::Path>) -> Option<Compiled> {
    let Some(path) = profile else {
        return Some(compiled);
    };
    let applied = Profile::read(path).and_then(|profile| compiled.ruleset.apply_profile(&profile));
    match applied {
        Ok(()) => Some(compiled),
        Err(ProfileError::Invalid { problems }) => {
            for problem in &problems {
                stderr::error(problem);
            }
            stderr::error(format!("the profile has {} error(s)", problems.len()));
            None
        }
        Err(error) => {
            stderr::error(error);
            None
        }
    }
}
