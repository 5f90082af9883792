//! The context of a synthetic programme, drawn once per programme in a fixed order (so
//! a seed gives the same cohort whichever context questions the rules declare):
//! level by sector, intake that follows the level, dropout that rises with a weak
//! programme and a large mbo intake, completion and satisfaction that follow strength.

use rand::RngExt as _;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

/// A context question the generator knows by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Level,
    Form,
    Cohort,
    Mbo,
    Vo,
    International,
    NonWestern,
    Dropout,
    Completion,
    Satisfaction,
}

impl Context {
    /// The context a question id names, if the generator knows it.
    pub(super) fn of(id: &str) -> Option<Context> {
        Some(match id {
            "context.niveau" => Context::Level,
            "context.vorm" => Context::Form,
            "context.cohort" => Context::Cohort,
            "context.mbo" => Context::Mbo,
            "context.vo" => Context::Vo,
            "context.internationaal" => Context::International,
            "context.niet_westers" => Context::NonWestern,
            "context.uitval" => Context::Dropout,
            "context.rendement" => Context::Completion,
            "context.nse" => Context::Satisfaction,
            _ => return None,
        })
    }
}

/// Universities of applied sciences and research universities offer different levels
/// and draw different students.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sector {
    /// A hogeschool: associate degrees, bachelors and some masters.
    Hogeschool,
    /// A universiteit: bachelors and masters.
    Universiteit,
}

impl Sector {
    /// The sector an institution's name tells.
    pub(super) fn of_institution(name: &str) -> Sector {
        if name.starts_with("Universiteit") {
            Sector::Universiteit
        } else {
            Sector::Hogeschool
        }
    }
}

/// The level of a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    AssociateDegree,
    Bachelor,
    Master,
}

/// A context answer before it meets its question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum ContextValue {
    /// A number (a percentage, a size, a score).
    Number(f64),
    /// The id of a choice option.
    Option(&'static str),
}

/// The facts of one synthetic programme.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Profile {
    level: Level,
    form: &'static str,
    cohort: f64,
    mbo: f64,
    vo: f64,
    international: f64,
    non_western: f64,
    dropout: f64,
    completion: f64,
    satisfaction: f64,
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// An index drawn with the given weights (which sum to 1).
pub(super) fn choose(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let mut draw: f64 = rng.random();
    for (index, weight) in weights.iter().enumerate() {
        if draw < *weight {
            return index;
        }
        draw -= weight;
    }
    weights.len().saturating_sub(1)
}

/// `mean + spread * z` for a standard normal `z`, kept within `low..=high`.
fn around(rng: &mut ChaCha8Rng, mean: f64, spread: f64, (low, high): (f64, f64)) -> f64 {
    (mean + spread * normal(rng)).clamp(low, high)
}

impl Profile {
    /// Draws the context of a programme of `sector` with overall `strength` (a
    /// standard normal: above 0 is stronger than most).
    pub(super) fn draw(rng: &mut ChaCha8Rng, sector: Sector, strength: f64) -> Profile {
        let level = draw_level(rng, sector);
        let form = ["voltijd", "deeltijd", "duaal"]
            .get(choose(rng, &[0.75, 0.18, 0.07]))
            .copied()
            .unwrap_or("voltijd");
        let cohort = draw_cohort(rng, sector, level);
        let mbo = draw_mbo(rng, sector, level);
        // Students from the mbo and from abroad are different students.
        let international = draw_international(rng, sector, level).min(100.0 - mbo);
        let vo = draw_vo(rng, level, mbo, international);
        let non_western = around(rng, 15.0 + 0.1 * mbo, 7.0, (5.0, 40.0));
        let dropout = draw_dropout(rng, level, mbo, strength);
        let completion = around(rng, 64.0 + 8.0 * strength, 7.0, (15.0, 95.0));
        let satisfaction = around(rng, 3.6 + 0.25 * strength, 0.3, (1.0, 5.0));
        Profile {
            level,
            form,
            cohort,
            mbo,
            vo,
            international,
            non_western,
            dropout,
            completion,
            satisfaction,
        }
    }

    /// The answer to a context question.
    pub(super) fn value(&self, context: Context) -> ContextValue {
        let number = match context {
            Context::Level => return ContextValue::Option(self.level.option_id()),
            Context::Form => return ContextValue::Option(self.form),
            Context::Cohort => self.cohort,
            Context::Mbo => self.mbo,
            Context::Vo => self.vo,
            Context::International => self.international,
            Context::NonWestern => self.non_western,
            Context::Dropout => self.dropout,
            Context::Completion => self.completion,
            Context::Satisfaction => self.satisfaction,
        };
        ContextValue::Number(number)
    }
}

impl Level {
    /// The option id of `context.niveau`.
    fn option_id(self) -> &'static str {
        match self {
            Level::AssociateDegree => "ad",
            Level::Bachelor => "bachelor",
            Level::Master => "master",
        }
    }
}

/// A hogeschool's programmes are about 15% associate degrees, 65% bachelors and 20%
/// masters; a university's are bachelors and masters.
fn draw_level(rng: &mut ChaCha8Rng, sector: Sector) -> Level {
    let weights: &[f64] = match sector {
        Sector::Hogeschool => &[0.15, 0.65, 0.20],
        Sector::Universiteit => &[0.0, 0.55, 0.45],
    };
    match choose(rng, weights) {
        0 => Level::AssociateDegree,
        1 => Level::Bachelor,
        _ => Level::Master,
    }
}

/// Intake cohorts vary by a factor of ten; associate degrees and masters are smaller.
fn draw_cohort(rng: &mut ChaCha8Rng, sector: Sector, level: Level) -> f64 {
    let typical = match (sector, level) {
        (_, Level::AssociateDegree) => 45.0,
        (Sector::Hogeschool, Level::Bachelor) => 140.0,
        (Sector::Universiteit, Level::Bachelor) => 220.0,
        (_, Level::Master) => 60.0,
    };
    (typical * (0.7 * normal(rng)).exp())
        .round()
        .clamp(5.0, 5000.0)
}

/// The mbo share follows the level: high for associate degrees (about 50–80%), a third
/// for hogeschool bachelors (about 15–45%), near nothing for masters and at
/// universities, which mbo students rarely enter directly.
fn draw_mbo(rng: &mut ChaCha8Rng, sector: Sector, level: Level) -> f64 {
    let (mean, spread) = match (sector, level) {
        (_, Level::AssociateDegree) => (65.0, 7.5),
        (Sector::Hogeschool, Level::Bachelor) => (30.0, 7.5),
        (Sector::Hogeschool, Level::Master) => (4.0, 2.5),
        (Sector::Universiteit, _) => (1.5, 1.5),
    };
    around(rng, mean, spread, (0.0, 100.0))
}

/// Most programmes have few international students (0–10%); a minority, more often
/// masters and university programmes, is international (15–60%).
fn draw_international(rng: &mut ChaCha8Rng, sector: Sector, level: Level) -> f64 {
    let international_share = match (sector, level) {
        (Sector::Hogeschool, Level::AssociateDegree) => 0.02,
        (Sector::Hogeschool, Level::Bachelor) => 0.10,
        (Sector::Hogeschool, Level::Master) => 0.30,
        (Sector::Universiteit, Level::Master) => 0.55,
        (Sector::Universiteit, _) => 0.30,
    };
    let international = rng.random_bool(international_share);
    let draw: f64 = rng.random();
    if international {
        15.0 + 45.0 * draw * draw.sqrt()
    } else {
        10.0 * draw * draw
    }
}

/// The share straight from Dutch secondary school (havo, vwo): what the mbo, the
/// international students and the others (switchers, adults) leave; masters admit
/// graduates, so hardly anyone comes straight from school.
fn draw_vo(rng: &mut ChaCha8Rng, level: Level, mbo: f64, international: f64) -> f64 {
    let others = around(rng, 10.0, 4.0, (0.0, 30.0));
    match level {
        Level::Master => (others / 5.0).clamp(0.0, 10.0),
        _ => (100.0 - mbo - international - others).clamp(0.0, 100.0),
    }
}

/// First-year dropout (10–45%) rises in weak programmes and with a large mbo intake;
/// masters lose fewer students.
fn draw_dropout(rng: &mut ChaCha8Rng, level: Level, mbo: f64, strength: f64) -> f64 {
    let master = if level == Level::Master { 4.0 } else { 0.0 };
    let mean = 24.0 - 5.0 * strength + 0.2 * (mbo - 30.0) - master;
    around(rng, mean, 5.0, (10.0, 45.0))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;

    use super::*;

    /// Profiles of `count` programmes of one sector, with their strengths.
    fn profiles(sector: Sector, count: usize) -> Vec<(f64, Profile)> {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        (0..count)
            .map(|_| {
                let strength = normal(&mut rng);
                (strength, Profile::draw(&mut rng, sector, strength))
            })
            .collect()
    }

    fn share(profiles: &[(f64, Profile)], test: impl Fn(&Profile) -> bool) -> f64 {
        let hits = profiles.iter().filter(|(_, profile)| test(profile)).count();
        hits as f64 / profiles.len() as f64
    }

    fn median(mut values: Vec<f64>) -> f64 {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    }

    fn correlation(pairs: &[(f64, f64)]) -> f64 {
        let n = pairs.len() as f64;
        let mean_a = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let mean_b = pairs.iter().map(|p| p.1).sum::<f64>() / n;
        let covariance: f64 = pairs.iter().map(|(a, b)| (a - mean_a) * (b - mean_b)).sum();
        let spread_a = pairs
            .iter()
            .map(|p| (p.0 - mean_a).powi(2))
            .sum::<f64>()
            .sqrt();
        let spread_b = pairs
            .iter()
            .map(|p| (p.1 - mean_b).powi(2))
            .sum::<f64>()
            .sqrt();
        covariance / (spread_a * spread_b)
    }

    #[test]
    fn levels_follow_the_sector() {
        let hogeschool = profiles(Sector::Hogeschool, 4000);
        let ad = share(&hogeschool, |p| p.level == Level::AssociateDegree);
        let master = share(&hogeschool, |p| p.level == Level::Master);
        assert!((0.12..0.18).contains(&ad), "ad {ad}");
        assert!((0.17..0.23).contains(&master), "master {master}");
        let universiteit = profiles(Sector::Universiteit, 2000);
        assert_eq!(
            share(&universiteit, |p| p.level == Level::AssociateDegree),
            0.0
        );
    }

    #[test]
    fn the_mbo_share_follows_the_level() {
        let hogeschool = profiles(Sector::Hogeschool, 4000);
        let mbo_of = |level: Level| {
            let values = hogeschool.iter().filter(|(_, p)| p.level == level);
            median(values.map(|(_, p)| p.mbo).collect())
        };
        assert!((55.0..75.0).contains(&mbo_of(Level::AssociateDegree)));
        assert!((20.0..40.0).contains(&mbo_of(Level::Bachelor)));
        assert!(mbo_of(Level::Master) < 10.0);
        let universiteit = profiles(Sector::Universiteit, 2000);
        assert!(universiteit.iter().all(|(_, p)| p.mbo < 15.0));
    }

    #[test]
    fn most_programmes_have_few_international_students() {
        let hogeschool = profiles(Sector::Hogeschool, 4000);
        let low = share(&hogeschool, |p| p.international <= 10.0);
        assert!(low > 0.8, "{low}");
        assert!(hogeschool.iter().all(|(_, p)| p.international <= 60.0));
        let high = share(&hogeschool, |p| p.international >= 15.0);
        let universiteit = profiles(Sector::Universiteit, 2000);
        let university_high = share(&universiteit, |p| p.international >= 15.0);
        assert!(university_high > 2.0 * high, "{university_high} vs {high}");
    }

    #[test]
    fn dropout_rises_with_weakness_and_mbo_intake() {
        let hogeschool = profiles(Sector::Hogeschool, 4000);
        let all = |p: &Profile| (10.0..=45.0).contains(&p.dropout);
        assert_eq!(share(&hogeschool, all), 1.0);
        let by_strength: Vec<(f64, f64)> =
            hogeschool.iter().map(|(s, p)| (*s, p.dropout)).collect();
        assert!(correlation(&by_strength) < -0.3);
        let by_mbo: Vec<(f64, f64)> = hogeschool.iter().map(|(_, p)| (p.mbo, p.dropout)).collect();
        assert!(correlation(&by_mbo) > 0.3);
        let completion: Vec<(f64, f64)> =
            hogeschool.iter().map(|(s, p)| (*s, p.completion)).collect();
        assert!(correlation(&completion) > 0.5);
        let satisfaction: Vec<(f64, f64)> = hogeschool
            .iter()
            .map(|(s, p)| (*s, p.satisfaction))
            .collect();
        assert!(correlation(&satisfaction) > 0.3);
    }

    #[test]
    fn shares_stay_percentages_and_the_vo_share_leaves_room_for_the_rest() {
        for sector in [Sector::Hogeschool, Sector::Universiteit] {
            for (_, p) in profiles(sector, 2000) {
                assert!((5.0..=40.0).contains(&p.non_western));
                assert!(p.mbo + p.vo + p.international <= 100.0 + 1e-9);
                if p.level == Level::Master {
                    assert!(p.vo <= 10.0);
                }
            }
        }
    }
}
