/**
 * `vigil surveil track` (offline detection + tracking to MOT-challenge lines)
 * and `vigil surveil decide` (the I-SAFE-inspired fuzzy engine on a features
 * file). With --json each prints exactly one JSON object on stdout.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from '../../../runtime/index.ts'
import { decideFeatures } from '../decide-features.ts'
import { encodePng } from '../encode-png.ts'
import { SurveilInvalidParameterError } from '../errors.ts'
import { type DetectorKind, detectorKinds } from '../frame-detector.ts'
import { renderTracks } from '../render-tracks.ts'
import { trackVideo } from '../track-video.ts'

function positiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0)
    throw new SurveilInvalidParameterError(
      `--${name} must be a positive integer, got ${String(value)}`,
    )
  return n
}

const trackCommand: Command = {
  name: 'track',
  summary: 'detect and track people in a video file; write MOT-challenge lines',
  usage:
    '<video> --mot <out.txt> [--detector blobs|learned] [--width <px>] [--render <dir>] [--json]',
  options: {
    mot: {
      type: 'string',
      description: 'output file for frame,id,left,top,width,height,conf,-1,-1,-1 lines',
    },
    detector: {
      type: 'string',
      description: 'blobs (background subtraction) or learned (CenterNet + BlazeFace on WASM)',
      default: 'blobs',
    },
    width: { type: 'string', description: 'processing width in pixels', default: '384' },
    frames: { type: 'string', description: 'stop after this many frames' },
    render: {
      type: 'string',
      description: 'write every 50th frame with its boxes as PNG into this folder',
    },
    json: { type: 'boolean', description: 'print one JSON summary object' },
  },
  async run(context) {
    const [video] = context.positionals
    const mot = context.values.mot
    if (!video || context.positionals.length !== 1)
      throw new SurveilInvalidParameterError('Expected exactly one <video> argument')
    if (typeof mot !== 'string')
      throw new SurveilInvalidParameterError('--mot <out.txt> is required')
    const detector = context.values.detector ?? 'blobs'
    if (!detectorKinds.includes(detector as DetectorKind))
      throw new SurveilInvalidParameterError(
        `--detector ${String(detector)} is not known; use ${detectorKinds.join(' or ')}`,
      )
    const render = typeof context.values.render === 'string' ? context.values.render : undefined
    if (render) await mkdir(render, { recursive: true })
    const { lines, summary } = await trackVideo(video, {
      width: positiveInt('width', context.values.width) ?? 384,
      maxFrames: positiveInt('frames', context.values.frames),
      detectorKind: detector as DetectorKind,
      onFrame(frame, tracks) {
        if (!render || frame.index % 50 !== 0) return
        const png = encodePng(
          renderTracks(frame.pixels, frame.width, frame.height, tracks),
          frame.width,
          frame.height,
        )
        void Bun.write(join(render, `frame-${String(frame.index).padStart(5, '0')}.png`), png)
      },
    })
    await Bun.write(mot, lines.length ? `${lines.join('\n')}\n` : '')
    const result = { video, mot, ...summary }
    context.out(
      context.values.json
        ? JSON.stringify(result)
        : `${summary.frames} frames, ${summary.reported_tracks} tracks, ${summary.fps} frames/s → ${mot}`,
    )
    return 0
  },
}

const decideCommand: Command = {
  name: 'decide',
  summary: 'run the I-SAFE-inspired fuzzy decision on a features JSON file',
  usage: '<features.json> [--config <decision.json>] [--json]',
  options: {
    config: {
      type: 'string',
      description: 'fuzzy config (membership functions, rules, thresholds); default built in',
    },
    json: { type: 'boolean', description: 'print one JSON object' },
  },
  async run(context) {
    const [file] = context.positionals
    if (!file) throw new SurveilInvalidParameterError('Expected a <features.json> argument')
    const config =
      typeof context.values.config === 'string'
        ? await Bun.file(context.values.config).json()
        : undefined
    const result = decideFeatures(await Bun.file(file).json(), config)
    if (context.values.json) context.out(JSON.stringify(result))
    else
      for (const d of result.decisions)
        context.out(
          `track ${d.trackId}: suspicion ${d.suspicion.toFixed(3)} ${d.alert ? 'ALERT' : d.label}`,
        )
    return 0
  },
}

/** `vigil surveil …` */
export const surveilCommand: Command = {
  name: 'surveil',
  summary: 'smart-surveillance pipeline: offline tracking and fuzzy decisions',
  subcommands: [trackCommand, decideCommand],
}
