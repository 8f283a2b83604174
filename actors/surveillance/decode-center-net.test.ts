import { describe, expect, test } from 'bun:test'
import { decodeCenterNet } from './decode-center-net.ts'

const grid = { width: 8, height: 6, stride: 4, scaleX: 2, scaleY: 1.5 }
const options = {
  minScore: 0.3,
  maxDetections: 10,
  iouThreshold: 0.4,
  frameWidth: 64,
  frameHeight: 36,
}

function heads(peaks: { x: number; y: number; score: number; wh: number[] }[]) {
  const heat = new Float32Array(grid.width * grid.height)
  const wh = new Float32Array(grid.width * grid.height * 4)
  for (const p of peaks) {
    const cell = p.y * grid.width + p.x
    heat[cell] = p.score
    wh.set(p.wh, cell * 4)
  }
  return { heat, wh }
}

describe('decodeCenterNet', () => {
  test('turns a peak cell and its distances into a box in frame pixels', () => {
    const { heat, wh } = heads([{ x: 3, y: 2, score: 0.8, wh: [4, 6, 2, 10] }])
    const [box, ...rest] = decodeCenterNet(heat, wh, grid, options)
    expect(rest).toEqual([])
    // Centre (12, 8) in input pixels; left 8, top 2, right 14, bottom 18; × (2, 1.5).
    expect(box).toEqual({ x: 16, y: 3, w: 12, h: 24, score: expect.closeTo(0.8, 5) })
  })

  test('keeps only local maxima above the score, best first, and suppresses overlapping boxes', () => {
    const { heat, wh } = heads([
      { x: 1, y: 1, score: 0.5, wh: [2, 2, 2, 2] },
      { x: 2, y: 1, score: 0.9, wh: [2, 2, 2, 2] }, // neighbour of the first, higher
      { x: 6, y: 4, score: 0.6, wh: [2, 2, 2, 2] },
      { x: 6, y: 1, score: 0.2, wh: [2, 2, 2, 2] }, // below minScore
      { x: 4, y: 4, score: 0.55, wh: [12, 12, 12, 12] }, // a larger box around (6, 4): IoU below 0.4
    ])
    const boxes = decodeCenterNet(heat, wh, grid, options)
    expect(boxes.map((b) => b.score.toFixed(2))).toEqual(['0.90', '0.60', '0.55'])
    const overlapping = heads([
      { x: 2, y: 2, score: 0.9, wh: [16, 16, 16, 16] },
      { x: 4, y: 3, score: 0.7, wh: [16, 16, 16, 16] }, // clipped, IoU 0.75 with the first
    ])
    expect(decodeCenterNet(overlapping.heat, overlapping.wh, grid, options)).toHaveLength(1)
  })

  test('clips boxes to the frame and stops at maxDetections', () => {
    const { heat, wh } = heads([
      { x: 0, y: 0, score: 0.9, wh: [50, 50, 1, 1] },
      { x: 7, y: 5, score: 0.8, wh: [1, 1, 50, 50] },
    ])
    const boxes = decodeCenterNet(heat, wh, grid, { ...options, maxDetections: 1 })
    expect(boxes).toHaveLength(1)
    expect(boxes[0]).toMatchObject({ x: 0, y: 0 })
  })
})
