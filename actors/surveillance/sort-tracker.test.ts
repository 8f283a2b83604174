import { describe, expect, test } from 'bun:test'
import { createBlobDetector } from './blob-detector.ts'
import { formatMotLine, parseMot } from './format-mot.ts'
import { computeMotMetrics } from './mot-metrics.ts'
import { assignByIou, createSortTracker } from './sort-tracker.ts'
import { groundTruth, renderScene, standardScene } from './testing/index.ts'

describe('createSortTracker', () => {
  test('assigns detections to predictions by the Hungarian method and rejects low IoU', () => {
    const a = { x: 0, y: 0, w: 10, h: 10 }
    const b = { x: 100, y: 0, w: 10, h: 10 }
    expect(assignByIou([b, a], [a, b], 0.3)).toEqual([
      [0, 1],
      [1, 0],
    ])
    expect(assignByIou([{ x: 8, y: 8, w: 10, h: 10 }], [a], 0.3)).toEqual([])
  })

  test('keeps one stable id for a box moving at constant velocity', () => {
    const tracker = createSortTracker()
    const ids = new Set<number>()
    for (let f = 0; f < 30; f++)
      for (const t of tracker.update([{ x: 3 * f, y: 10, w: 20, h: 40 }])) ids.add(t.id)
    expect([...ids]).toEqual([1])
  })

  test('tracks the synthetic scene with MOTA ≥ 0.9 and IDF1 ≥ 0.9', () => {
    const scene = standardScene(300)
    const detector = createBlobDetector()
    const tracker = createSortTracker()
    const lines: string[] = []
    for (const frame of renderScene(scene))
      for (const t of tracker.update(detector.detect(frame)))
        lines.push(formatMotLine(frame.index, t))
    const metrics = computeMotMetrics(groundTruth(scene), parseMot(lines.join('\n')))
    console.log('synthetic scene', JSON.stringify(metrics))
    expect(metrics.mota).toBeGreaterThanOrEqual(0.9)
    expect(metrics.idf1).toBeGreaterThanOrEqual(0.9)
  })
})
