//! Answer values for the evaluators' property tests: unknown, both zeros, the extremes
//! where sums overflow, and small fractions and whole numbers.

use proptest::prelude::*;

/// One value an answer slot or an intermediate result may hold.
pub(crate) fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(0.0),
        Just(-0.0),
        Just(1e308),
        Just(-1e308),
        Just(f64::MAX),
        -5.0..5.0f64,
        (0..5u8).prop_map(f64::from),
    ]
}
