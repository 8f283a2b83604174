//! vigil's FFT core: real-input FFT, power spectrum, windows and the STFT
//! band-power loop that ENF extraction spends its time in, compiled to
//! WebAssembly (wasm32-unknown-unknown, SIMD128) and called from TypeScript
//! through a raw `extern "C"` ABI (no wasm-bindgen).
//!
//! The ABI, used only by `wasm/fft.ts`:
//! - `vf_alloc(n) -> ptr` / `vf_free(ptr, n)`: buffers of `n` f64 values in
//!   wasm memory. The caller writes inputs there and reads outputs back.
//! - every operation returns an `i32` status: ≥ 0 is success (a count where
//!   one is meaningful), negative is an error code (`ERR_*` below). The
//!   TypeScript side validates arguments first and throws typed errors; the
//!   checks here only keep a wrong call from corrupting memory.
//!
//! FFT plans, windows and scratch buffers are cached per size in a
//! thread-local (wasm is single-threaded), so repeated calls allocate nothing.

pub mod fir;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// An argument was out of range (nfft not a power of two, bins out of range, …).
pub const ERR_INVALID_ARGUMENT: i32 = -1;
/// A null pointer was passed where a buffer was required.
pub const ERR_NULL_POINTER: i32 = -2;

/// Largest accepted FFT size (2^24 points, 128 MiB of f64 input).
pub const MAX_NFFT: usize = 1 << 24;

/// Window shapes, numbered as in the ABI (`window` argument).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum WindowKind {
    Rect = 0,
    Hann = 1,
    Hamming = 2,
}

impl WindowKind {
    pub fn from_code(code: i32) -> Option<WindowKind> {
        match code {
            0 => Some(WindowKind::Rect),
            1 => Some(WindowKind::Hann),
            2 => Some(WindowKind::Hamming),
            _ => None,
        }
    }
}

/// Fills `out` with the periodic ("DFT-even") window of `out.len()` points,
/// the convention of scipy.signal.get_window and librosa for spectral analysis:
/// w[n] = a − (1 − a)·cos(2πn/N), a = 0.5 (Hann) or 0.54 (Hamming).
pub fn fill_window(kind: WindowKind, out: &mut [f64]) {
    let n = out.len();
    let a = match kind {
        WindowKind::Rect => {
            out.iter_mut().for_each(|w| *w = 1.0);
            return;
        }
        WindowKind::Hann => 0.5,
        WindowKind::Hamming => 0.54,
    };
    let step = 2.0 * std::f64::consts::PI / n as f64;
    for (i, w) in out.iter_mut().enumerate() {
        *w = a - (1.0 - a) * (step * i as f64).cos();
    }
}

/// True for 2, 4, 8, … up to [`MAX_NFFT`].
pub fn valid_nfft(nfft: usize) -> bool {
    (2..=MAX_NFFT).contains(&nfft) && nfft.is_power_of_two()
}

/// Plans, windows and scratch space, reused across calls.
pub struct FftEngine {
    planner: RealFftPlanner<f64>,
    plans: HashMap<usize, Arc<dyn RealToComplex<f64>>>,
    windows: HashMap<(WindowKind, usize), Vec<f64>>,
    frame: Vec<f64>,
    spectrum: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
}

impl Default for FftEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl FftEngine {
    pub fn new() -> Self {
        FftEngine {
            planner: RealFftPlanner::new(),
            plans: HashMap::new(),
            windows: HashMap::new(),
            frame: Vec::new(),
            spectrum: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Sizes the frame/spectrum/scratch buffers for `nfft` and returns its plan.
    fn prepare(&mut self, nfft: usize) -> Arc<dyn RealToComplex<f64>> {
        let planner = &mut self.planner;
        let plan = self
            .plans
            .entry(nfft)
            .or_insert_with(|| planner.plan_fft_forward(nfft))
            .clone();
        self.frame.resize(nfft, 0.0);
        self.spectrum.resize(nfft / 2 + 1, Complex::new(0.0, 0.0));
        let scratch_len = plan.get_scratch_len();
        if self.scratch.len() < scratch_len {
            self.scratch.resize(scratch_len, Complex::new(0.0, 0.0));
        }
        plan
    }

    /// FFT of `input` zero-padded to `nfft`; the nfft/2 + 1 bins are left in
    /// the engine's spectrum buffer (returned).
    pub fn rfft(&mut self, input: &[f64], nfft: usize) -> Result<&[Complex<f64>], i32> {
        if !valid_nfft(nfft) || input.len() > nfft {
            return Err(ERR_INVALID_ARGUMENT);
        }
        let plan = self.prepare(nfft);
        self.frame[..input.len()].copy_from_slice(input);
        self.frame[input.len()..].iter_mut().for_each(|x| *x = 0.0);
        self.transform(&plan);
        Ok(&self.spectrum)
    }

    /// |X[k]|² for k in 0..=nfft/2 of `input` zero-padded to `nfft`, into `out`.
    pub fn power_spectrum(
        &mut self,
        input: &[f64],
        nfft: usize,
        out: &mut [f64],
    ) -> Result<(), i32> {
        if out.len() != nfft / 2 + 1 {
            return Err(ERR_INVALID_ARGUMENT);
        }
        let spectrum = self.rfft(input, nfft)?;
        for (p, x) in out.iter_mut().zip(spectrum.iter()) {
            *p = x.re * x.re + x.im * x.im;
        }
        Ok(())
    }

    /// Windowed, zero-padded STFT: for each frame f, |X[k]|² for k in
    /// [bin_lo, bin_hi) goes to out[f·(bin_hi − bin_lo) + k − bin_lo].
    /// Returns the number of frames.
    #[allow(clippy::too_many_arguments)]
    pub fn stft_band_power(
        &mut self,
        signal: &[f64],
        frame_length: usize,
        hop: usize,
        nfft: usize,
        window: WindowKind,
        bin_lo: usize,
        bin_hi: usize,
        out: &mut [f64],
    ) -> Result<usize, i32> {
        if !valid_nfft(nfft)
            || frame_length == 0
            || frame_length > nfft
            || hop == 0
            || bin_lo >= bin_hi
            || bin_hi > nfft / 2 + 1
        {
            return Err(ERR_INVALID_ARGUMENT);
        }
        let frames = frame_count(signal.len(), frame_length, hop);
        let bins = bin_hi - bin_lo;
        if out.len() < frames * bins {
            return Err(ERR_INVALID_ARGUMENT);
        }
        if frames == 0 {
            return Ok(0);
        }
        let plan = self.prepare(nfft);
        let window_values = self
            .windows
            .entry((window, frame_length))
            .or_insert_with(|| {
                let mut w = vec![0.0; frame_length];
                fill_window(window, &mut w);
                w
            });
        for f in 0..frames {
            let start = f * hop;
            let samples = &signal[start..start + frame_length];
            // realfft uses its input as scratch, so the padding is rewritten each frame.
            for ((x, s), w) in self.frame.iter_mut().zip(samples).zip(window_values.iter()) {
                *x = s * w;
            }
            self.frame[frame_length..].iter_mut().for_each(|x| *x = 0.0);
            plan.process_with_scratch(&mut self.frame, &mut self.spectrum, &mut self.scratch)
                .map_err(|_| ERR_INVALID_ARGUMENT)?;
            let row = &mut out[f * bins..(f + 1) * bins];
            for (p, x) in row.iter_mut().zip(&self.spectrum[bin_lo..bin_hi]) {
                *p = x.re * x.re + x.im * x.im;
            }
        }
        Ok(frames)
    }

    fn transform(&mut self, plan: &Arc<dyn RealToComplex<f64>>) {
        // Lengths were sized by `prepare`, so this cannot fail.
        let _ = plan.process_with_scratch(&mut self.frame, &mut self.spectrum, &mut self.scratch);
    }
}

/// floor((len − frame_length) / hop) + 1 when len ≥ frame_length, else 0.
pub fn frame_count(len: usize, frame_length: usize, hop: usize) -> usize {
    if len < frame_length || hop == 0 {
        0
    } else {
        (len - frame_length) / hop + 1
    }
}

thread_local! {
    static ENGINE: RefCell<FftEngine> = RefCell::new(FftEngine::new());
}

/// Borrows `len` f64 at `ptr`; `len == 0` needs no pointer.
unsafe fn slice<'a>(ptr: *const f64, len: usize) -> Option<&'a [f64]> {
    if len == 0 {
        Some(&[])
    } else if ptr.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts(ptr, len))
    }
}

unsafe fn slice_mut<'a>(ptr: *mut f64, len: usize) -> Option<&'a mut [f64]> {
    if len == 0 {
        Some(&mut [])
    } else if ptr.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts_mut(ptr, len))
    }
}

/// Allocates room for `len` f64 values (uninitialised); free with [`vf_free`].
#[no_mangle]
pub extern "C" fn vf_alloc(len: usize) -> *mut f64 {
    let mut buffer: Vec<f64> = Vec::with_capacity(len.max(1));
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees a buffer from [`vf_alloc`] with the same `len`.
///
/// # Safety
/// `ptr` must come from `vf_alloc(len)` and not be freed twice.
#[no_mangle]
pub unsafe extern "C" fn vf_free(ptr: *mut f64, len: usize) {
    if !ptr.is_null() {
        drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
    }
}

/// Real FFT of `input_len` values zero-padded to `nfft`: nfft/2 + 1 bins into
/// `out_re` and `out_im`.
///
/// # Safety
/// Pointers must address buffers of the stated lengths in wasm memory.
#[no_mangle]
pub unsafe extern "C" fn vf_rfft(
    input: *const f64,
    input_len: usize,
    nfft: usize,
    out_re: *mut f64,
    out_im: *mut f64,
) -> i32 {
    let half = nfft / 2 + 1;
    let (input, re, im) = match (
        slice(input, input_len),
        slice_mut(out_re, half),
        slice_mut(out_im, half),
    ) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => return ERR_NULL_POINTER,
    };
    ENGINE.with(|engine| match engine.borrow_mut().rfft(input, nfft) {
        Ok(spectrum) => {
            for ((r, i), x) in re.iter_mut().zip(im.iter_mut()).zip(spectrum) {
                *r = x.re;
                *i = x.im;
            }
            0
        }
        Err(code) => code,
    })
}

/// |X[k]|², k = 0..=nfft/2, of `input_len` values zero-padded to `nfft`.
///
/// # Safety
/// Pointers must address buffers of the stated lengths in wasm memory.
#[no_mangle]
pub unsafe extern "C" fn vf_power_spectrum(
    input: *const f64,
    input_len: usize,
    nfft: usize,
    out: *mut f64,
) -> i32 {
    let (input, out) = match (slice(input, input_len), slice_mut(out, nfft / 2 + 1)) {
        (Some(a), Some(b)) => (a, b),
        _ => return ERR_NULL_POINTER,
    };
    ENGINE.with(
        |engine| match engine.borrow_mut().power_spectrum(input, nfft, out) {
            Ok(()) => 0,
            Err(code) => code,
        },
    )
}

/// STFT band power (see [`FftEngine::stft_band_power`]); `out` holds
/// `out_len` values. Returns the frame count or a negative error.
///
/// # Safety
/// Pointers must address buffers of the stated lengths in wasm memory.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn vf_stft_band_power(
    signal: *const f64,
    signal_len: usize,
    frame_length: usize,
    hop: usize,
    nfft: usize,
    window: i32,
    bin_lo: usize,
    bin_hi: usize,
    out: *mut f64,
    out_len: usize,
) -> i32 {
    let window = match WindowKind::from_code(window) {
        Some(w) => w,
        None => return ERR_INVALID_ARGUMENT,
    };
    let (signal, out) = match (slice(signal, signal_len), slice_mut(out, out_len)) {
        (Some(a), Some(b)) => (a, b),
        _ => return ERR_NULL_POINTER,
    };
    ENGINE.with(|engine| {
        match engine.borrow_mut().stft_band_power(
            signal,
            frame_length,
            hop,
            nfft,
            window,
            bin_lo,
            bin_hi,
            out,
        ) {
            Ok(frames) => frames as i32,
            Err(code) => code,
        }
    })
}

/// Polyphase FIR resampling (see [`fir::fir_resample_from`]): `out_len`
/// outputs, output m at upsampled time `first_t + m·down`. Returns `out_len`.
///
/// # Safety
/// Pointers must address buffers of the stated lengths in wasm memory.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn vf_fir_resample(
    signal: *const f64,
    signal_len: usize,
    taps: *const f64,
    taps_len: usize,
    up: usize,
    down: usize,
    first_t: usize,
    out: *mut f64,
    out_len: usize,
) -> i32 {
    if taps_len == 0 || up == 0 || down == 0 || out_len > i32::MAX as usize {
        return ERR_INVALID_ARGUMENT;
    }
    // The largest upsampled time touched must not overflow (wasm32 usize is 32 bits).
    let last_t = out_len
        .saturating_sub(1)
        .checked_mul(down)
        .and_then(|t| t.checked_add(first_t));
    if last_t.is_none() || signal_len.checked_mul(up).is_none() {
        return ERR_INVALID_ARGUMENT;
    }
    match (
        slice(signal, signal_len),
        slice(taps, taps_len),
        slice_mut(out, out_len),
    ) {
        (Some(signal), Some(taps), Some(out)) => {
            fir::fir_resample_from(signal, taps, up, down, first_t, out);
            out_len as i32
        }
        _ => ERR_NULL_POINTER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_dft(input: &[f64], nfft: usize) -> Vec<(f64, f64)> {
        (0..=nfft / 2)
            .map(|k| {
                let mut re = 0.0;
                let mut im = 0.0;
                for (n, x) in input.iter().enumerate() {
                    let angle = -2.0 * std::f64::consts::PI * (k * n) as f64 / nfft as f64;
                    re += x * angle.cos();
                    im += x * angle.sin();
                }
                (re, im)
            })
            .collect()
    }

    fn signal(len: usize) -> Vec<f64> {
        (0..len)
            .map(|i| ((i * 7919) % 101) as f64 / 50.0 - 1.0)
            .collect()
    }

    #[test]
    fn rfft_matches_a_naive_dft_with_zero_padding() {
        let mut engine = FftEngine::new();
        for &(len, nfft) in &[(8, 8), (5, 16), (100, 128), (1000, 1024)] {
            let input = signal(len);
            let expected = naive_dft(&input, nfft);
            let actual = engine.rfft(&input, nfft).unwrap().to_vec();
            for (x, (re, im)) in actual.iter().zip(expected) {
                assert!(
                    (x.re - re).abs() < 1e-9 * nfft as f64,
                    "re {} vs {}",
                    x.re,
                    re
                );
                assert!(
                    (x.im - im).abs() < 1e-9 * nfft as f64,
                    "im {} vs {}",
                    x.im,
                    im
                );
            }
        }
    }

    #[test]
    fn rejects_bad_arguments() {
        let mut engine = FftEngine::new();
        assert_eq!(engine.rfft(&[1.0; 4], 6).err(), Some(ERR_INVALID_ARGUMENT));
        assert_eq!(engine.rfft(&[1.0; 9], 8).err(), Some(ERR_INVALID_ARGUMENT));
        let mut out = vec![0.0; 100];
        let bad = engine.stft_band_power(&[0.0; 64], 32, 8, 32, WindowKind::Hann, 0, 18, &mut out);
        assert_eq!(bad.err(), Some(ERR_INVALID_ARGUMENT));
        let bad = engine.stft_band_power(&[0.0; 64], 33, 8, 32, WindowKind::Hann, 0, 4, &mut out);
        assert_eq!(bad.err(), Some(ERR_INVALID_ARGUMENT));
    }

    #[test]
    fn stft_band_power_returns_the_band_of_each_windowed_frame() {
        let mut engine = FftEngine::new();
        let input = signal(300);
        let (frame_length, hop, nfft, lo, hi) = (50, 20, 64, 3, 9);
        let frames = frame_count(input.len(), frame_length, hop);
        assert_eq!(frames, 13);
        let mut out = vec![0.0; frames * (hi - lo)];
        let got = engine
            .stft_band_power(
                &input,
                frame_length,
                hop,
                nfft,
                WindowKind::Hamming,
                lo,
                hi,
                &mut out,
            )
            .unwrap();
        assert_eq!(got, frames);
        let mut window = vec![0.0; frame_length];
        fill_window(WindowKind::Hamming, &mut window);
        for f in 0..frames {
            let frame: Vec<f64> = input[f * hop..f * hop + frame_length]
                .iter()
                .zip(&window)
                .map(|(x, w)| x * w)
                .collect();
            let expected = naive_dft(&frame, nfft);
            for k in lo..hi {
                let (re, im) = expected[k];
                let p = out[f * (hi - lo) + k - lo];
                assert!((p - (re * re + im * im)).abs() < 1e-8 * (1.0 + p));
            }
        }
    }
}
