/**
 * Synthetic surveillance scenes with exact ground truth: a noisy static
 * background and bright person-sized boxes moving on scripted paths
 * (crossing, loitering loops, two people passing each other). Seeded, so
 * every run renders the same frames.
 */
import type { Box } from '../box.ts'
import type { MotRow } from '../format-mot.ts'
import type { GrayFrame } from '../gray-frame.ts'

/** A scripted person: its box centre at frame f (1-based), or undefined when absent. */
export type Actor = {
  id: number
  w: number
  h: number
  at: (frame: number) => { cx: number; cy: number } | undefined
}

export type Scene = { width: number; height: number; frames: number; fps: number; actors: Actor[] }

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Ground-truth box of an actor at a frame. */
export function actorBox(actor: Actor, frame: number): Box | undefined {
  const p = actor.at(frame)
  return p && { x: p.cx - actor.w / 2, y: p.cy - actor.h / 2, w: actor.w, h: actor.h }
}

/** The scene's ground truth as MOT rows (boxes clipped to the frame are kept whole). */
export function groundTruth(scene: Scene): MotRow[] {
  const rows: MotRow[] = []
  for (let f = 1; f <= scene.frames; f++) {
    for (const a of scene.actors) {
      const b = actorBox(a, f)
      if (b && b.x >= 0 && b.y >= 0 && b.x + b.w <= scene.width && b.y + b.h <= scene.height)
        rows.push({ frame: f, id: a.id, ...b })
    }
  }
  return rows
}

/** Renders the scene's frames: background ≈ 90 ± 12 noise, people ≈ 190 ± 12. */
export function* renderScene(scene: Scene, seed = 1): Generator<GrayFrame> {
  const random = rng(seed)
  const base = new Uint8Array(scene.width * scene.height).map(() => 70 + Math.floor(random() * 40))
  for (let f = 1; f <= scene.frames; f++) {
    const pixels = base.map((v) => v + Math.floor(random() * 12) - 6)
    for (const a of scene.actors) {
      const b = actorBox(a, f)
      if (!b) continue
      for (
        let y = Math.max(0, Math.round(b.y));
        y < Math.min(scene.height, Math.round(b.y + b.h));
        y++
      )
        for (
          let x = Math.max(0, Math.round(b.x));
          x < Math.min(scene.width, Math.round(b.x + b.w));
          x++
        )
          pixels[y * scene.width + x] = 180 + Math.floor(random() * 24)
    }
    yield { index: f, width: scene.width, height: scene.height, pixels }
  }
}

/** A walker on a straight line from (x0, y0) at `start` with velocity (vx, vy) px/frame until it leaves. */
export function walker(
  id: number,
  start: number,
  x0: number,
  y0: number,
  vx: number,
  vy: number,
): Actor {
  return {
    id,
    w: 16,
    h: 40,
    at: (f) => (f < start ? undefined : { cx: x0 + vx * (f - start), cy: y0 + vy * (f - start) }),
  }
}

/** A loiterer pacing an ellipse around (cx, cy) from `start` for `duration` frames. */
export function loiterer(
  id: number,
  start: number,
  duration: number,
  cx: number,
  cy: number,
  periodFrames: number,
): Actor {
  return {
    id,
    w: 16,
    h: 40,
    at: (f) => {
      if (f < start || f >= start + duration) return undefined
      const phase = (2 * Math.PI * (f - start)) / periodFrames
      return { cx: cx + 40 * Math.cos(phase), cy: cy + 10 * Math.sin(phase) }
    },
  }
}

/** The standard test scene: one crosser, one loiterer, two people passing each other. */
export function standardScene(frames = 300): Scene {
  return {
    width: 320,
    height: 240,
    frames,
    fps: 10,
    actors: [
      walker(1, 10, -10, 38, 2, 0),
      loiterer(2, 20, frames, 160, 200, 120),
      walker(3, 60, 30, 90, 2.5, 0),
      walker(4, 60, 290, 140, -2.5, 0),
    ],
  }
}
