//! Fitting the curve's `k` and `p` to the learner's reviews by maximum
//! likelihood.
//!
//! The likelihood is smooth in `u = ln k` and `p`, so a coarse grid gives a
//! starting point near the top and Newton steps (first and second
//! derivatives, worked out below) climb the rest of the way in a few passes
//! over the reviews. A step that does not raise the likelihood is halved
//! until it does; where the surface is not concave, the step follows the
//! slope instead. `k` and `p` stay within [`K_RANGE`] and [`P_RANGE`].
//!
//! The derivatives: a review `t` days after the last one, of a card with
//! interval `I`, has stability `S = k · I^p`, so `v = ln S = u + p · ln I`.
//! With `x = F·t/S` (so `dx/dv = −x`), `ln R = C · ln(1 + x)` and
//! `a = d ln R/dv = −C·x/(1 + x)`, `da/dv = C·x/(1 + x)²`.
//! A review remembered adds `ln R`: slope `a`, curvature `da/dv`.
//! A review forgotten adds `ln(1 − R)`: slope `−q·a` with `q = R/(1 − R)`,
//! curvature `−(R·a²/(1 − R)² + q·da/dv)`.
//! Both depend on `u` and `p` through `v` only, with `dv/du = 1` and
//! `dv/dp = ln I`.

use super::{C, Curve, F, MAX_SAMPLES, MIN_SAMPLES, Sample};

/// The `k` the fit keeps to.
pub const K_RANGE: (f64, f64) = (0.04, 25.0);

/// The `p` the fit keeps to.
pub const P_RANGE: (f64, f64) = (0.4, 1.6);

/// Recall below this (or above 1 minus it) counts as this: one review the
/// curve calls impossible does not make the likelihood infinite.
const CLAMP: f64 = 1e-6;

/// Log-likelihood of `samples` under `curve`.
pub fn log_likelihood(curve: &Curve, samples: &[Sample]) -> f64 {
    samples
        .iter()
        .map(|s| {
            let r = curve.recall(s.days, s.interval).clamp(CLAMP, 1.0 - CLAMP);
            if s.recalled { r.ln() } else { (1.0 - r).ln() }
        })
        .sum()
}

/// The slope (gradient) and curvature (Hessian) of the log-likelihood in
/// `(ln k, p)`.
fn slope_and_curvature(curve: &Curve, samples: &[Sample]) -> ([f64; 2], [[f64; 2]; 2]) {
    let mut g = [0.0; 2];
    let mut h = [[0.0; 2]; 2];
    for s in samples {
        let x = F * s.days.max(0.0) / curve.stability(s.interval);
        let r = (1.0 + x).powf(C);
        if !(CLAMP..=1.0 - CLAMP).contains(&r) {
            // Clamped: flat there.
            continue;
        }
        let a = -C * x / (1.0 + x);
        let da = C * x / ((1.0 + x) * (1.0 + x));
        let (d1, d2) = if s.recalled {
            (a, da)
        } else {
            let q = r / (1.0 - r);
            (-q * a, -(r * a * a / ((1.0 - r) * (1.0 - r)) + q * da))
        };
        let dp = s.interval.max(1.0).ln();
        g[0] += d1;
        g[1] += d1 * dp;
        h[0][0] += d2;
        h[0][1] += d2 * dp;
        h[1][1] += d2 * dp * dp;
    }
    h[1][0] = h[0][1];
    (g, h)
}

/// Which way to step from a point with slope `g` and curvature `h`: the
/// Newton step when the surface is concave there (it then points uphill),
/// else the slope itself, scaled to a tenth in `ln k`.
fn direction(g: [f64; 2], h: [[f64; 2]; 2]) -> [f64; 2] {
    let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    if h[0][0] < 0.0 && det > 0.0 {
        // −h⁻¹·g
        [
            -(h[1][1] * g[0] - h[0][1] * g[1]) / det,
            -(-h[1][0] * g[0] + h[0][0] * g[1]) / det,
        ]
    } else {
        let norm = g[0].hypot(g[1]).max(f64::MIN_POSITIVE);
        [0.1 * g[0] / norm, 0.1 * g[1] / norm]
    }
}

/// The curve at `(ln k, p)`, kept within the ranges.
fn curve_at(u: f64, p: f64, samples: usize) -> Curve {
    Curve {
        k: u.exp().clamp(K_RANGE.0, K_RANGE.1),
        p: p.clamp(P_RANGE.0, P_RANGE.1),
        samples,
    }
}

/// Fit `k` and `p` to the latest [`MAX_SAMPLES`] reviews (with fewer than
/// [`MIN_SAMPLES`]: the curve as SM-2 has it, `k = p = 1`).
pub fn fit(samples: &[Sample]) -> Curve {
    if samples.len() < MIN_SAMPLES {
        return Curve::default();
    }
    let samples = &samples[samples.len().saturating_sub(MAX_SAMPLES)..];
    let n = samples.len();
    // Start: the best of a coarse grid over the ranges (k in log steps).
    let (k_lo, k_hi) = (K_RANGE.0.ln(), K_RANGE.1.ln());
    let grid = (0..=8).flat_map(|i| {
        (0..=4).map(move |j| {
            let u = k_lo + (k_hi - k_lo) * f64::from(i) / 8.0;
            let p = P_RANGE.0 + (P_RANGE.1 - P_RANGE.0) * f64::from(j) / 4.0;
            curve_at(u, p, n)
        })
    });
    let mut best = Curve::default();
    let mut best_ll = f64::NEG_INFINITY;
    for c in grid {
        let ll = log_likelihood(&c, samples);
        if ll > best_ll {
            (best, best_ll) = (c, ll);
        }
    }
    // Climb: Newton steps, each halved until the likelihood rises; done
    // when no step of any length raises it, or steps get tiny.
    for _ in 0..50 {
        let (g, h) = slope_and_curvature(&best, samples);
        let d = direction(g, h);
        let mut step = 1.0;
        let mut moved = None;
        while step > 1e-6 {
            let c = curve_at(best.k.ln() + step * d[0], best.p + step * d[1], n);
            let ll = log_likelihood(&c, samples);
            if ll > best_ll {
                moved = Some((c, ll));
                break;
            }
            step /= 2.0;
        }
        let Some((c, ll)) = moved else { break };
        let size = (c.k.ln() - best.k.ln()).abs() + (c.p - best.p).abs();
        (best, best_ll) = (c, ll);
        if size < 1e-7 {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// Reviews of a learner whose memory follows the curve `k`, `p`:
    /// intervals of 1 to 60 days, reviewed 0.2 to 3 intervals later.
    fn simulated(k: f64, p: f64, n: usize, seed: u64) -> Vec<Sample> {
        let truth = Curve { k, p, samples: 0 };
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let interval = rng.random_range(1.0..60.0f64).round();
                let days = interval * rng.random_range(0.2..3.0);
                let recalled = rng.random::<f64>() < truth.recall(days, interval);
                Sample {
                    days,
                    interval,
                    recalled,
                }
            })
            .collect()
    }

    #[test]
    fn the_fit_finds_the_curve_the_reviews_follow() {
        for (k, p, seed) in [(2.5, 0.8, 1), (0.3, 1.2, 2), (1.0, 1.0, 3)] {
            let c = fit(&simulated(k, p, MAX_SAMPLES, seed));
            assert!((c.k / k).ln().abs() < 0.15, "k {} for {k} (p {p})", c.k);
            assert!((c.p - p).abs() < 0.05, "p {} for {p} (k {k})", c.p);
            assert_eq!(c.samples, MAX_SAMPLES);
        }
    }

    #[test]
    fn no_point_of_a_fine_grid_is_likelier_than_the_fit() {
        let samples = simulated(4.0, 0.7, 5_000, 7);
        let c = fit(&samples);
        let top = log_likelihood(&c, &samples);
        let (k_lo, k_hi) = (K_RANGE.0.ln(), K_RANGE.1.ln());
        for i in 0..=60 {
            for j in 0..=40 {
                let u = k_lo + (k_hi - k_lo) * f64::from(i) / 60.0;
                let p = P_RANGE.0 + (P_RANGE.1 - P_RANGE.0) * f64::from(j) / 40.0;
                let ll = log_likelihood(&curve_at(u, p, 0), &samples);
                assert!(ll <= top + 1e-9, "k {} p {p}: {ll} > {top}", u.exp());
            }
        }
    }

    #[test]
    fn the_fit_stays_in_range_when_everything_is_remembered() {
        let mut samples = simulated(1.0, 1.0, 1_000, 4);
        for s in &mut samples {
            s.recalled = true;
        }
        let c = fit(&samples);
        assert!((c.k - K_RANGE.1).abs() < 1e-9, "k {}", c.k);
        assert!((P_RANGE.0..=P_RANGE.1).contains(&c.p), "p {}", c.p);
    }

    #[test]
    fn too_few_reviews_keep_the_curve_of_sm2() {
        let samples = simulated(3.0, 0.6, MIN_SAMPLES - 1, 5);
        assert_eq!(fit(&samples), Curve::default());
    }
}
