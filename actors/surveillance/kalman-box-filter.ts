/**
 * SORT's constant-velocity Kalman filter over a box (Bewley et al. 2016,
 * reference code abewley/sort): state [u, v, s, r, u̇, v̇, ṡ] (centre, area,
 * aspect ratio held constant), measurement [u, v, s, r]. Noise settings are
 * the reference code's.
 */
import type { Box } from './box.ts'

type Matrix = number[][]

const zeros = (n: number, m: number): Matrix =>
  Array.from({ length: n }, () => new Array<number>(m).fill(0))
const identity = (n: number): Matrix =>
  zeros(n, n).map((row, i) => row.map((_, j) => (i === j ? 1 : 0)))
const transpose = (a: Matrix): Matrix =>
  (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number))
function multiply(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.length, (b[0] as number[]).length)
  for (let i = 0; i < a.length; i++)
    for (let k = 0; k < b.length; k++) {
      const aik = (a[i] as number[])[k] as number
      if (aik === 0) continue
      const bk = b[k] as number[]
      const oi = out[i] as number[]
      for (let j = 0; j < bk.length; j++) oi[j] = (oi[j] as number) + aik * (bk[j] as number)
    }
  return out
}
const add = (a: Matrix, b: Matrix, sign = 1): Matrix =>
  a.map((row, i) => row.map((v, j) => v + sign * ((b[i] as number[])[j] as number)))
/** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
function invert(a: Matrix): Matrix {
  const n = a.length
  const m = a.map((row, i) => [...row, ...(identity(n)[i] as number[])])
  for (let c = 0; c < n; c++) {
    let pivot = c
    for (let r = c + 1; r < n; r++)
      if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number))
        pivot = r
    ;[m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]]
    const row = m[c] as number[]
    const p = row[c] as number
    for (let j = 0; j < 2 * n; j++) row[j] = (row[j] as number) / p
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const other = m[r] as number[]
      const f = other[c] as number
      for (let j = 0; j < 2 * n; j++) other[j] = (other[j] as number) - f * (row[j] as number)
    }
  }
  return m.map((row) => row.slice(n))
}

const F = identity(7).map((row, i) => (i < 3 ? row.map((v, j) => (j === i + 4 ? 1 : v)) : row))
const H = identity(7).slice(0, 4)
const HT = transpose(H)
const FT = transpose(F)
const diag = (values: number[]): Matrix =>
  identity(values.length).map((row, i) => row.map((v) => v * (values[i] as number)))
const R = diag([1, 1, 10, 10])
const Q = diag([1, 1, 1, 1, 0.01, 0.01, 0.0001])

function measure(box: Box): Matrix {
  return [
    [box.x + box.w / 2],
    [box.y + box.h / 2],
    [box.w * box.h],
    [box.w / Math.max(box.h, 1e-6)],
  ]
}

/** One track's filter: predict each frame, update with its matched detection. */
export class KalmanBoxFilter {
  private x: Matrix
  private p: Matrix

  constructor(box: Box) {
    this.x = [...measure(box), [0], [0], [0]]
    this.p = diag([10, 10, 10, 10, 10000, 10000, 10000])
  }

  /** Advances one frame and returns the predicted box. */
  predict(): Box {
    const x = this.x
    if (((x[6] as number[])[0] as number) + ((x[2] as number[])[0] as number) <= 0)
      (x[6] as number[])[0] = 0
    this.x = multiply(F, x)
    this.p = add(multiply(multiply(F, this.p), FT), Q)
    return this.box()
  }

  /** Corrects the state with a measured box. */
  update(box: Box): void {
    const y = add(measure(box), multiply(H, this.x), -1)
    const s = add(multiply(multiply(H, this.p), HT), R)
    const k = multiply(multiply(this.p, HT), invert(s))
    this.x = add(this.x, multiply(k, y))
    this.p = multiply(add(identity(7), multiply(k, H), -1), this.p)
  }

  /** The current state as a box. */
  box(): Box {
    const [u, v, s, r] = this.x.map((row) => row[0] as number) as [number, number, number, number]
    const w = Math.sqrt(Math.max(s, 0) * Math.max(r, 0))
    const h = w > 0 ? Math.max(s, 0) / w : 0
    return { x: u - w / 2, y: v - h / 2, w, h }
  }
}
