/**
 * The cameras panel, on the viewer API (docs/dashboard.md): the cameras the
 * caller may see (`GET /v1/cameras`), what its policy shows of each
 * (faces / people clear or scrambled), a snapshot or the live view
 * (`/snapshot.png`, `/live` as multipart frames), and the last seconds of
 * tracks (`/tracks?from=&to=`) drawn over the picture.
 */
import { el, fill } from './dom.js'
import { readFrames } from './multipart-frames.js'

const TRACK_WINDOW_MS = 10_000

/** The latest box per track id; the viewer API nests each frame's boxes as `{t, seq, tracks}`. */
function boxesOf(reply) {
  const latest = new Map()
  const items = (reply.tracks ?? []).flatMap((item) =>
    Array.isArray(item.tracks) ? item.tracks : [item],
  )
  for (const item of items) {
    const box = item.box ?? item
    if (![box.x, box.y, box.w, box.h].every(Number.isFinite)) continue
    latest.set(item.id ?? item.trackId ?? latest.size, box)
  }
  return [...latest.entries()].map(([id, box]) => ({ id, ...box }))
}

function drawTracks(canvas, image, boxes) {
  const width = image.naturalWidth || canvas.width
  const height = image.naturalHeight || canvas.height
  canvas.width = width
  canvas.height = height
  const g = canvas.getContext('2d')
  g.clearRect(0, 0, width, height)
  g.lineWidth = 2
  g.font = '12px sans-serif'
  for (const box of boxes) {
    g.strokeStyle = '#ffb000'
    g.strokeRect(box.x, box.y, box.w, box.h)
    g.fillStyle = '#ffb000'
    g.fillText(`#${box.id}`, box.x + 2, Math.max(12, box.y - 3))
  }
  canvas.dataset.tracks = String(boxes.length)
}

class CameraCard {
  constructor(api, camera) {
    this.api = api
    this.camera = camera
    this.url = undefined
    this.live = undefined
    const id = encodeURIComponent(camera.id)
    this.base = `/v1/cameras/${id}`
    this.image = el('img', { alt: `camera ${camera.id}`, class: 'frame' })
    this.canvas = el('canvas', { class: 'overlay' })
    this.status = el('span', { class: 'camera-status' })
    const attributes = camera.attributes ?? {}
    this.node = el(
      'article',
      { class: 'camera', 'data-camera': camera.id },
      el('h3', {}, camera.id, el('small', {}, ` on ${camera.host ?? '?'}`)),
      el(
        'p',
        { class: 'attributes' },
        ...Object.entries(attributes).map(([name, value]) =>
          el('span', { class: `badge ${value}`, 'data-attribute': name }, `${name}: ${value}`),
        ),
      ),
      el('div', { class: 'view' }, this.image, this.canvas),
      el(
        'p',
        {},
        el(
          'button',
          { type: 'button', class: 'snapshot', onclick: () => this.snapshot() },
          'snapshot',
        ),
        el('button', { type: 'button', class: 'live', onclick: () => this.toggleLive() }, 'live'),
        this.status,
      ),
    )
  }

  show(blob) {
    const url = URL.createObjectURL(blob)
    const previous = this.url
    this.url = url
    this.image.src = url
    if (previous) URL.revokeObjectURL(previous)
  }

  async snapshot() {
    try {
      this.show(await (await this.api.fetch(`${this.base}/snapshot.png`)).blob())
      this.status.textContent = 'snapshot'
    } catch (error) {
      this.status.textContent = error.message
    }
  }

  async toggleLive() {
    if (this.live) {
      this.live.abort()
      this.live = undefined
      return
    }
    const live = new AbortController()
    this.live = live
    let frames = 0
    try {
      const response = await this.api.fetch(`${this.base}/live`, { signal: live.signal })
      await readFrames(response, {
        signal: live.signal,
        onFrame: (blob) => {
          frames++
          this.show(blob)
          this.status.textContent = `live · ${frames} frames`
        },
      })
    } catch (error) {
      if (!live.signal.aborted) this.status.textContent = error.message
    }
    if (this.live === live) this.live = undefined
  }

  async refreshTracks(now = Date.now()) {
    if (!this.url) return
    try {
      const reply = await this.api.json(
        `${this.base}/tracks?from=${now - TRACK_WINDOW_MS}&to=${now}`,
      )
      drawTracks(this.canvas, this.image, boxesOf(reply))
    } catch {
      // A caller without the tracks right sees the picture without boxes.
    }
  }

  stop() {
    this.live?.abort()
    if (this.url) URL.revokeObjectURL(this.url)
  }
}

/** The cameras panel: (re)lists the cameras, keeps the cards, refreshes their overlays. */
export class CameraPanel {
  constructor(api) {
    this.api = api
    this.cards = new Map()
    this.listed = ''
  }

  async refresh() {
    const reply = await this.api.json('/v1/cameras')
    // A new frame (latestSeq) is not a new listing: rebuilding the cards would end a live view.
    const key = JSON.stringify(reply.cameras.map(({ latestSeq: _, ...camera }) => camera))
    if (key !== this.listed) {
      this.listed = key
      for (const card of this.cards.values()) card.stop()
      this.cards = new Map(
        reply.cameras.map((camera) => [camera.id, new CameraCard(this.api, camera)]),
      )
      fill(
        document.getElementById('cameras-list'),
        [...this.cards.values()].map((card) => card.node),
      )
      for (const card of this.cards.values()) void card.snapshot()
    }
    await Promise.all([...this.cards.values()].map((card) => card.refreshTracks()))
  }

  clear() {
    for (const card of this.cards.values()) card.stop()
    this.cards.clear()
    this.listed = ''
    fill(document.getElementById('cameras-list'), [])
  }
}
