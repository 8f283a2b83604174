//! Polyphase FIR resampling (upsample by `up`, filter, downsample by
//! `down`), computing only the output samples that are kept. ENF extraction
//! uses it to band-pass and decimate long recordings (8/44.1/48 kHz → 1 kHz,
//! or a band around the mains frequency down to a few Hz) before the STFT.

/// Number of output samples: ceil(len · up / down).
pub fn output_len(len: usize, up: usize, down: usize) -> usize {
    (len * up + down - 1) / down
}

/// The delay that centres a linear-phase filter: (taps − 1) / 2 samples.
pub fn centre_delay(taps_len: usize) -> usize {
    (taps_len - 1) / 2
}

/// y[m] = Σ_k taps[k] · x_up[m·down + delay − k], with delay = (taps.len() − 1) / 2
/// (the group delay of a linear-phase filter, so y[m] lines up with input time
/// m·down/up) and x_up[i] = x[i / up] when i is a multiple of `up` inside the
/// signal, else 0. `out` must hold [`output_len`] values.
pub fn fir_resample(x: &[f64], taps: &[f64], up: usize, down: usize, out: &mut [f64]) {
    fir_resample_from(x, taps, up, down, centre_delay(taps.len()), out)
}

/// The general form: out[m] = Σ_k taps[k] · x_up[first_t + m·down − k]. With
/// `first_t` = delay this is [`fir_resample`]; other values let a caller feed
/// a long signal in chunks (a slice of x and the matching offset).
pub fn fir_resample_from(
    x: &[f64],
    taps: &[f64],
    up: usize,
    down: usize,
    first_t: usize,
    out: &mut [f64],
) {
    // Phase p's sub-filter is taps[p], taps[p + up], …; reversed, so each output is
    // a forward dot product with a contiguous run of input samples.
    let phases: Vec<Vec<f64>> = (0..up)
        .map(|p| {
            let mut h: Vec<f64> = taps.iter().skip(p).step_by(up).copied().collect();
            h.reverse();
            h
        })
        .collect();
    for (m, y) in out.iter_mut().enumerate() {
        let t = first_t + m * down;
        let h = &phases[t % up];
        let q = t / up; // input index multiplied by the sub-filter's first tap
        let taps_in_phase = h.len();
        let lo = (q + 1).saturating_sub(taps_in_phase);
        let hi = (q + 1).min(x.len());
        *y = if lo >= hi {
            0.0
        } else {
            let h_start = lo + taps_in_phase - 1 - q;
            dot(&h[h_start..h_start + (hi - lo)], &x[lo..hi])
        };
    }
}

/// Σ a[i]·b[i] with two f64x2 accumulators (WASM SIMD128).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    use core::arch::wasm32::{
        f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat, v128, v128_load,
    };
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc0 = f64x2_splat(0.0);
    let mut acc1 = f64x2_splat(0.0);
    let mut i = 0;
    // Safety: every load reads two f64 at i or i + 2, with i + 4 ≤ n; v128_load allows unaligned addresses.
    unsafe {
        while i + 4 <= n {
            let a0 = v128_load(pa.add(i) as *const v128);
            let b0 = v128_load(pb.add(i) as *const v128);
            let a1 = v128_load(pa.add(i + 2) as *const v128);
            let b1 = v128_load(pb.add(i + 2) as *const v128);
            acc0 = f64x2_add(acc0, f64x2_mul(a0, b0));
            acc1 = f64x2_add(acc1, f64x2_mul(a1, b1));
            i += 4;
        }
    }
    let acc = f64x2_add(acc0, acc1);
    let mut sum = f64x2_extract_lane::<0>(acc) + f64x2_extract_lane::<1>(acc);
    while i < n {
        sum += a[i] * b[i];
        i += 1;
    }
    sum
}

/// Σ a[i]·b[i] with four scalar accumulators (native builds and tests).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let mut acc = [0.0f64; 4];
    let mut i = 0;
    while i + 4 <= n {
        for lane in 0..4 {
            acc[lane] += a[i + lane] * b[i + lane];
        }
        i += 4;
    }
    let mut sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    while i < n {
        sum += a[i] * b[i];
        i += 1;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[f64], taps: &[f64], up: usize, down: usize) -> Vec<f64> {
        let delay = (taps.len() - 1) / 2;
        (0..output_len(x.len(), up, down))
            .map(|m| {
                let t = (m * down + delay) as isize;
                let mut sum = 0.0;
                for (k, h) in taps.iter().enumerate() {
                    let i = t - k as isize;
                    if i >= 0 && i % up as isize == 0 && ((i / up as isize) as usize) < x.len() {
                        sum += h * x[(i / up as isize) as usize];
                    }
                }
                sum
            })
            .collect()
    }

    #[test]
    fn matches_the_direct_formula() {
        let x: Vec<f64> = (0..997).map(|i| ((i * 37) % 23) as f64 - 11.0).collect();
        let taps: Vec<f64> = (0..61).map(|i| ((i * 13) % 7) as f64 / 7.0 - 0.4).collect();
        for &(up, down) in &[(1, 1), (1, 8), (1, 125), (10, 441), (3, 2), (4, 1)] {
            let expected = naive(&x, &taps, up, down);
            let mut out = vec![0.0; output_len(x.len(), up, down)];
            fir_resample(&x, &taps, up, down, &mut out);
            for (a, b) in out.iter().zip(&expected) {
                assert!(
                    (a - b).abs() < 1e-9,
                    "up {} down {}: {} vs {}",
                    up,
                    down,
                    a,
                    b
                );
            }
        }
    }

    #[test]
    fn computes_the_same_outputs_from_chunks() {
        let x: Vec<f64> = (0..1000).map(|i| ((i * 31) % 17) as f64 - 8.0).collect();
        let taps: Vec<f64> = (0..41).map(|i| ((i * 11) % 5) as f64 - 2.0).collect();
        let (up, down) = (3, 7);
        let mut whole = vec![0.0; output_len(x.len(), up, down)];
        fir_resample(&x, &taps, up, down, &mut whole);
        let delay = centre_delay(taps.len());
        let (m0, m1) = (100, 250);
        let t_first = m0 * down + delay;
        let i_lo = (t_first + up - 1).saturating_sub(taps.len() - 1) / up;
        let i_hi = (((m1 - 1) * down + delay) / up + 1).min(x.len());
        let mut part = vec![0.0; m1 - m0];
        fir_resample_from(
            &x[i_lo..i_hi],
            &taps,
            up,
            down,
            t_first - i_lo * up,
            &mut part,
        );
        assert_eq!(&part[..], &whole[m0..m1]);
    }

    #[test]
    fn keeps_a_signal_with_a_centred_unit_impulse() {
        let x: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let mut out = vec![0.0; 50];
        fir_resample(&x, &[0.0, 1.0, 0.0], 1, 1, &mut out);
        assert_eq!(out, x);
    }
}
