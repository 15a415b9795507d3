//! Random durations: the distributions a model may give for any timing.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::units::Millis;

/// z-score of the 95th percentile of a standard normal, used to turn "median and p95"
/// into a lognormal's sigma.
const Z_P95: f64 = 1.644_853_626_951_472_2;

/// A random duration, in milliseconds. Every timing in a model is one of these; a fixed
/// value is just the degenerate case.
///
/// Samples are rounded to whole milliseconds and never negative: a normal is clamped at
/// zero (its mass below zero lands on zero), which the model loader warns about by
/// refusing a mean closer than three deviations to zero.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Exponential with the given mean (memoryless waits).
    Exponential {
        /// Mean value.
        mean: f64,
    },
    /// Normal, clamped at zero.
    Normal {
        /// Mean value.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Lognormal given by its median and 95th percentile, the way timings are usually
    /// reported ("typically 60 s, rarely above 3 min").
    LogNormal {
        /// Median (50th percentile).
        median: f64,
        /// 95th percentile; must exceed the median.
        p95: f64,
    },
}

impl Dist {
    /// The same shape with every time multiplied by `factor` (> 0): what a sensitivity
    /// run tries for "half as long" and "twice as long".
    pub fn scaled(&self, factor: f64) -> Dist {
        match *self {
            Dist::Fixed(v) => Dist::Fixed(v * factor),
            Dist::Uniform { min, max } => Dist::Uniform {
                min: min * factor,
                max: max * factor,
            },
            Dist::Triangular { min, mode, max } => Dist::Triangular {
                min: min * factor,
                mode: mode * factor,
                max: max * factor,
            },
            Dist::Exponential { mean } => Dist::Exponential {
                mean: mean * factor,
            },
            Dist::Normal { mean, sd } => Dist::Normal {
                mean: mean * factor,
                sd: sd * factor,
            },
            Dist::LogNormal { median, p95 } => Dist::LogNormal {
                median: median * factor,
                p95: p95 * factor,
            },
        }
    }

    /// Draws one duration in whole milliseconds.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Millis {
        let value = self.sample_f64(rng);
        value.max(0.0).round() as Millis
    }

    /// Draws one value without rounding (used for shares and rates).
    pub fn sample_f64<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Fixed(value) => value,
            Dist::Uniform { min, max } => min + (max - min) * unit(rng),
            Dist::Triangular { min, mode, max } => triangular_inverse(min, mode, max, unit(rng)),
            Dist::Exponential { mean } => -mean * (1.0 - unit(rng)).ln(),
            Dist::Normal { mean, sd } => {
                let z: f64 = StandardNormal.sample(rng);
                (mean + sd * z).max(0.0)
            }
            Dist::LogNormal { median, p95 } => {
                let z: f64 = StandardNormal.sample(rng);
                median * (lognormal_sigma(median, p95) * z).exp()
            }
        }
    }

    /// Probability that a draw is at most `x` (milliseconds).
    pub fn cdf(&self, x: f64) -> f64 {
        if x < 0.0 {
            return 0.0;
        }
        match *self {
            Dist::Fixed(value) => f64::from(u8::from(x >= value)),
            Dist::Uniform { min, max } => ramp(x, min, max),
            Dist::Triangular { min, mode, max } => triangular_cdf(min, mode, max, x),
            Dist::Exponential { mean } => 1.0 - (-x / mean).exp(),
            Dist::Normal { mean, sd } => normal_cdf((x - mean) / sd),
            Dist::LogNormal { median, p95 } => {
                if x <= 0.0 {
                    0.0
                } else {
                    normal_cdf((x / median).ln() / lognormal_sigma(median, p95))
                }
            }
        }
    }

    /// Mean of the distribution (milliseconds), after clamping at zero.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(value) => value,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Exponential { mean } => mean,
            Dist::Normal { mean, sd } => clamped_normal_mean(mean, sd),
            Dist::LogNormal { median, p95 } => {
                let sigma = lognormal_sigma(median, p95);
                median * (sigma * sigma / 2.0).exp()
            }
        }
    }

    /// Expected excess over `w`: `E[max(X - w, 0)]`, which is `integral from w to
    /// infinity of (1 - cdf)`. Closed forms where there is one, else Simpson's rule on
    /// the survival function (triangular, clamped normal).
    pub fn excess_mean(&self, w: f64) -> f64 {
        let w = w.max(0.0);
        match *self {
            Dist::Fixed(value) => (value - w).max(0.0),
            Dist::Uniform { min, max } => {
                if w <= min {
                    (min + max) / 2.0 - w
                } else if w >= max {
                    0.0
                } else {
                    (max - w) * (max - w) / (2.0 * (max - min))
                }
            }
            Dist::Exponential { mean } => mean * (-w / mean).exp(),
            Dist::LogNormal { median, p95 } => {
                if w <= 0.0 {
                    return self.mean();
                }
                // E[(X - w)+] = E[X] Phi(d1) - w Phi(d2), d2 = (ln median - ln w) / sigma.
                let sigma = lognormal_sigma(median, p95);
                let d2 = (median / w).ln() / sigma;
                (self.mean() * normal_cdf(d2 + sigma) - w * normal_cdf(d2)).max(0.0)
            }
            Dist::Triangular { max, .. } => self.survival_integral(w, max),
            Dist::Normal { mean, sd } => self.survival_integral(w, mean + 12.0 * sd),
        }
    }

    /// Integral of `1 - cdf` from `from` to `to` (beyond which it is zero), by Simpson.
    fn survival_integral(&self, from: f64, to: f64) -> f64 {
        if from >= to {
            return 0.0;
        }
        const STEPS: usize = 400;
        let h = (to - from) / STEPS as f64;
        let s = |x: f64| 1.0 - self.cdf(x);
        let inner: f64 = (1..STEPS)
            .map(|i| s(from + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
            .sum();
        (s(from) + inner + s(to)) * h / 3.0
    }

    /// Smallest value the distribution can take.
    pub fn min(&self) -> f64 {
        match *self {
            Dist::Fixed(value) => value,
            Dist::Uniform { min, .. } | Dist::Triangular { min, .. } => min,
            Dist::Exponential { .. } | Dist::Normal { .. } | Dist::LogNormal { .. } => 0.0,
        }
    }

    /// A short human description, e.g. `lognormal(median 60s, p95 3m)`.
    pub fn describe(&self) -> String {
        use super::units::format_duration as d;
        match *self {
            Dist::Fixed(value) => d(value),
            Dist::Uniform { min, max } => format!("uniform({}..{})", d(min), d(max)),
            Dist::Triangular { min, mode, max } => {
                format!("triangular({}, mode {}, {})", d(min), d(mode), d(max))
            }
            Dist::Exponential { mean } => format!("exponential(mean {})", d(mean)),
            Dist::Normal { mean, sd } => format!("normal(mean {}, sd {})", d(mean), d(sd)),
            Dist::LogNormal { median, p95 } => {
                format!("lognormal(median {}, p95 {})", d(median), d(p95))
            }
        }
    }

    /// Checks the parameters; the message says what is wrong in the model's terms.
    pub fn check(&self) -> Result<(), String> {
        let finite_nonneg = |v: f64| v.is_finite() && v >= 0.0;
        match *self {
            Dist::Fixed(v) if !finite_nonneg(v) => Err("must be zero or more".into()),
            Dist::Uniform { min, max } if !(finite_nonneg(min) && min <= max) => {
                Err("uniform needs 0 <= min <= max".into())
            }
            Dist::Triangular { min, mode, max }
                if !(finite_nonneg(min) && min <= mode && mode <= max && min < max) =>
            {
                Err("triangular needs 0 <= min <= mode <= max and min < max".into())
            }
            Dist::Exponential { mean } if !(mean.is_finite() && mean > 0.0) => {
                Err("exponential needs a mean above zero".into())
            }
            Dist::Normal { mean, sd } if !(finite_nonneg(mean) && sd.is_finite() && sd > 0.0) => {
                Err("normal needs mean >= 0 and sd > 0".into())
            }
            Dist::LogNormal { median, p95 }
                if !(median > 0.0 && p95 > median && p95.is_finite()) =>
            {
                Err("lognormal needs 0 < median < p95".into())
            }
            _ => Ok(()),
        }
    }
}

/// A uniform draw on [0, 1) with 53 random bits.
/// A uniform draw in [0, 1) from 53 random bits.
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn ramp(x: f64, min: f64, max: f64) -> f64 {
    if x >= max {
        1.0
    } else if x < min {
        0.0
    } else {
        (x - min) / (max - min)
    }
}

fn lognormal_sigma(median: f64, p95: f64) -> f64 {
    (p95 / median).ln() / Z_P95
}

fn triangular_inverse(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let span = max - min;
    let left = (mode - min) / span;
    if u < left {
        min + (u * span * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * span * (max - mode)).sqrt()
    }
}

fn triangular_cdf(min: f64, mode: f64, max: f64, x: f64) -> f64 {
    if x <= min {
        0.0
    } else if x >= max {
        1.0
    } else if x <= mode {
        (x - min).powi(2) / ((max - min) * (mode - min))
    } else {
        1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
    }
}

/// Standard normal CDF.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
}

fn clamped_normal_mean(mean: f64, sd: f64) -> f64 {
    // E[max(X, 0)] for X ~ N(mean, sd^2).
    let z = mean / sd;
    let pdf = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    mean * normal_cdf(z) + sd * pdf
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const N: usize = 200_000;

    fn empirical_mean(dist: &Dist) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        (0..N).map(|_| dist.sample_f64(&mut rng)).sum::<f64>() / N as f64
    }

    /// Each family's sample mean agrees with its analytic mean within 5 standard errors.
    #[test]
    fn sample_means_match_analytic_means() {
        let cases = [
            (
                Dist::Uniform {
                    min: 10.0,
                    max: 70.0,
                },
                60.0 / 12f64.sqrt(),
            ),
            (
                Dist::Triangular {
                    min: 0.0,
                    mode: 10.0,
                    max: 40.0,
                },
                8.5,
            ),
            (Dist::Exponential { mean: 30.0 }, 30.0),
            (
                Dist::Normal {
                    mean: 100.0,
                    sd: 15.0,
                },
                15.0,
            ),
            (
                Dist::LogNormal {
                    median: 60.0,
                    p95: 180.0,
                },
                70.0,
            ),
        ];
        for (dist, sd) in cases {
            let tolerance = 5.0 * sd / (N as f64).sqrt();
            let got = empirical_mean(&dist);
            assert!(
                (got - dist.mean()).abs() < tolerance,
                "{dist:?}: {got} vs {}",
                dist.mean()
            );
        }
    }

    #[test]
    fn lognormal_median_and_p95_are_what_was_asked() {
        let dist = Dist::LogNormal {
            median: 60.0,
            p95: 180.0,
        };
        assert!((dist.cdf(60.0) - 0.5).abs() < 1e-12);
        assert!((dist.cdf(180.0) - 0.95).abs() < 1e-9);
    }

    #[test]
    fn triangular_cdf_inverts_its_sampler() {
        let (min, mode, max) = (1.0, 3.0, 10.0);
        for u in [0.01, 0.2, 0.5, 0.9, 0.999] {
            let x = triangular_inverse(min, mode, max, u);
            assert!((triangular_cdf(min, mode, max, x) - u).abs() < 1e-12);
        }
    }

    /// Value stability: a model and seed must give the same draws release after release.
    #[test]
    fn draws_are_value_stable() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let dist = Dist::LogNormal {
            median: 60_000.0,
            p95: 180_000.0,
        };
        let draws: Vec<Millis> = (0..3).map(|_| dist.sample(&mut rng)).collect();
        let mut again = ChaCha8Rng::seed_from_u64(42);
        let repeat: Vec<Millis> = (0..3).map(|_| dist.sample(&mut again)).collect();
        assert_eq!(draws, repeat);
    }

    #[test]
    fn rejects_impossible_parameters() {
        assert!(Dist::Uniform { min: 5.0, max: 1.0 }.check().is_err());
        assert!(
            Dist::LogNormal {
                median: 60.0,
                p95: 30.0
            }
            .check()
            .is_err()
        );
        assert!(Dist::Exponential { mean: 0.0 }.check().is_err());
        assert!(Dist::Fixed(-1.0).check().is_err());
        assert!(
            Dist::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 2.0
            }
            .check()
            .is_ok()
        );
    }

    /// `excess_mean(w)` against a sample average of `max(X - w, 0)` for every kind.
    #[test]
    fn excess_mean_matches_sampling() {
        let dists = [
            Dist::Fixed(50.0),
            Dist::Uniform {
                min: 10.0,
                max: 90.0,
            },
            Dist::Triangular {
                min: 0.0,
                mode: 20.0,
                max: 100.0,
            },
            Dist::Exponential { mean: 40.0 },
            Dist::Normal {
                mean: 50.0,
                sd: 10.0,
            },
            Dist::LogNormal {
                median: 30.0,
                p95: 200.0,
            },
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = 200_000;
        for d in &dists {
            for w in [0.0, 25.0, 60.0] {
                let xs: Vec<f64> = (0..n)
                    .map(|_| (d.sample_f64(&mut rng) - w).max(0.0))
                    .collect();
                let mean = xs.iter().sum::<f64>() / n as f64;
                let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
                let tol = 4.0 * (var / n as f64).sqrt() + 1e-9;
                let got = d.excess_mean(w);
                assert!(
                    (got - mean).abs() <= tol,
                    "{d:?} at {w}: {got} vs {mean} +- {tol}"
                );
            }
        }
    }
}
