/**
 * `vigil surveil track` (offline detection + tracking to MOT-challenge lines),
 * `vigil surveil decide` (the I-SAFE-inspired fuzzy engine on a features
 * file) and `vigil surveil run` (the whole pipeline on one local host, or
 * deployed onto a running domain with `--domain`). With --json each prints
 * exactly one JSON object on stdout.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Command, type CommandContext, waitForStopSignal } from '../../../runtime/index.ts'
import { decideFeatures } from '../decide-features.ts'
import { encodePng } from '../encode-png.ts'
import { SurveilInvalidParameterError } from '../errors.ts'
import { type DetectorKind, detectorKinds } from '../frame-detector.ts'
import { zonesFile } from '../protocol.ts'
import { renderTracks } from '../render-tracks.ts'
import { surveillanceActors } from '../surveillance-placement.ts'
import { trackVideo } from '../track-video.ts'
import { deployPipeline } from './deploy-pipeline.ts'
import { runPipeline } from './run-pipeline.ts'

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
        : `${summary.frames} frames, ${summary.reportedTracks} tracks, ${summary.fps} frames/s → ${mot}`,
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

const cameraIdPattern = /^[a-z0-9][a-z0-9-]*$/

async function readZones(file: string | undefined): Promise<unknown[]> {
  if (file === undefined) return []
  const parsed = zonesFile.safeParse(await Bun.file(file).json())
  if (!parsed.success)
    throw new SurveilInvalidParameterError(
      `--zones ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}; expected { zones: [{ name, polygon: [[x, y], …], restricted?, risk? }] }`,
    )
  return parsed.data.zones
}

const runCommand: Command = {
  name: 'run',
  summary:
    'run the pipeline (camera → detector → tracker → features → decision) on one local host, or deploy it onto a running domain',
  usage:
    '--camera <url> [--zones <file>] [--id cam-1] [--detector blobs|learned] [--frames N] [--port P] [--domain <gateway url> --token-file <admin token file>] [--json]',
  options: {
    camera: {
      type: 'string',
      description: 'any ffmpeg input: file, rtsp://, udp://, http:// MJPEG',
    },
    zones: {
      type: 'string',
      description: 'JSON file { zones: [{ name, polygon, restricted, risk }] }',
    },
    id: { type: 'string', description: 'camera id (lowercase, digits, dashes)', default: 'cam-1' },
    detector: { type: 'string', description: 'blobs or learned', default: 'blobs' },
    frames: {
      type: 'string',
      description: 'stop after this many frames (default: run until Ctrl-C)',
    },
    port: {
      type: 'string',
      description: 'gateway port on 127.0.0.1 (alerts as SSE)',
      default: '0',
    },
    domain: {
      type: 'string',
      description:
        "gateway URL of a running domain's host: deploy the actors there (camera chain on the edge host labelled camera: <id>, decision on fog) instead of running locally",
    },
    'token-file': { type: 'string', description: 'with --domain: the admin token file' },
    json: { type: 'boolean', description: 'one JSON line per alert, then a summary object' },
  },
  async run(context) {
    const input = context.values.camera
    if (typeof input !== 'string')
      throw new SurveilInvalidParameterError('--camera <url> is required')
    const id = String(context.values.id ?? 'cam-1')
    if (!cameraIdPattern.test(id))
      throw new SurveilInvalidParameterError(`--id ${id}: use lowercase letters, digits and dashes`)
    const detector = String(context.values.detector ?? 'blobs')
    if (!detectorKinds.includes(detector as DetectorKind))
      throw new SurveilInvalidParameterError(
        `--detector ${detector} is not known; use blobs or learned`,
      )
    const frames = positiveInt('frames', context.values.frames)
    const zones = await readZones(
      typeof context.values.zones === 'string' ? context.values.zones : undefined,
    )
    const domain = typeof context.values.domain === 'string' ? context.values.domain : undefined
    const specs = surveillanceActors({
      cameras: [
        {
          id,
          input,
          detector: detector as DetectorKind,
          zones,
          loop: frames === undefined,
          maxFrames: frames,
        },
      ],
      moduleRefs: domain === undefined ? 'paths' : 'keys',
    })
    if (domain !== undefined) return deployOnto(context, domain, specs)
    const alerts: unknown[] = []
    const stats = await runPipeline({
      specs,
      cameraId: id,
      port: Number(context.values.port ?? 0),
      stop: waitForStopSignal(),
      onStarted: (url) =>
        context.values.json ||
        context.out(`alerts: curl -N ${url}/v1/events/surveil-decision/decision.events`),
      onAlert: (alert) => {
        alerts.push(alert)
        context.out(context.values.json ? JSON.stringify(alert) : `ALERT ${JSON.stringify(alert)}`)
      },
    })
    if (context.values.json)
      context.out(JSON.stringify({ camera: id, ...stats, alerts: alerts.length }))
    else context.out(`${stats.frames} frames, ${alerts.length} alerts`)
    return 0
  },
}

/** `vigil surveil run --domain`: deploys the specs, reports each host's answer; 1 when a host refused. */
async function deployOnto(
  context: CommandContext,
  url: string,
  specs: ReturnType<typeof surveillanceActors>,
): Promise<number> {
  const tokenFile = context.values['token-file']
  if (typeof tokenFile !== 'string')
    throw new SurveilInvalidParameterError('--domain needs --token-file <admin token file>')
  const token = (await Bun.file(tokenFile).text()).trim()
  const result = await deployPipeline({ url: url.replace(/\/$/, ''), token }, specs)
  const failed = result.hosts.filter((h) => h.error)
  if (context.values.json) context.out(JSON.stringify(result))
  else {
    for (const h of result.hosts)
      context.out(
        `${h.hostId}: ${h.error ? `${h.error.code} ${h.error.message}` : `added ${h.added.join(', ') || 'nothing (already deployed)'}`}`,
      )
    context.out(`alerts: curl -N ${url}/v1/events/surveil-decision/decision.events`)
  }
  return failed.length === 0 ? 0 : 1
}

/** `vigil surveil …` */
export const surveilCommand: Command = {
  name: 'surveil',
  summary: 'smart-surveillance pipeline: offline tracking, fuzzy decisions, the live pipeline',
  subcommands: [trackCommand, decideCommand, runCommand],
}
