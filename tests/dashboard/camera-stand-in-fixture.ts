/**
 * A STAND-IN for the viewer API (`/v1/cameras`, built by the privacy service
 * in actors/privacy/, not landed when the dashboard was written), so the
 * dashboard's camera panel has something to show in its browser test. It
 * follows the agreed contract — `GET /v1/cameras`, `/:id/snapshot.png`,
 * `/:id/live` (multipart/x-mixed-replace PNG frames), `/:id/tracks?from=&to=`,
 * Bearer session auth through the composition's guard — with a toy policy:
 * faces are `clear` for a caller the guard authorizes for
 * `/surveillance/faces read`, else `scrambled`, and then the box's pixels
 * are overwritten with noise (no encryption, nothing reversible). Its
 * frames are a generated gradient with one "person" box. Replace it with
 * the real mount once actors/privacy/ exports one.
 */
import { Hono } from 'hono'
import { encodePng } from '../../actors/surveillance/index.ts'
import { errorResponse, type GatewayMount, type Guard } from '../../runtime/index.ts'

const WIDTH = 160
const HEIGHT = 90
const BOX = { x: 60, y: 20, w: 24, h: 56 }

/** The person box's colour in a clear frame. */
export const BOX_COLOUR = [200, 120, 60] as const

/** A WIDTH×HEIGHT RGB PNG: a gradient shifted by `frame`, with the person box drawn (or noise). */
export function standInFrame(frame: number, scrambled = false): Uint8Array<ArrayBuffer> {
  const rgb = new Uint8Array(HEIGHT * WIDTH * 3)
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * WIDTH * 3
    for (let x = 0; x < WIDTH; x++) {
      const inBox = x >= BOX.x && x < BOX.x + BOX.w && y >= BOX.y && y < BOX.y + BOX.h
      const i = row + x * 3
      const noise = ((x * 7919 + y * 104_729 + frame * 31) * 2_654_435_761) >>> 24
      const [r, g, b] = scrambled ? [noise, (noise * 3) & 255, (noise * 5) & 255] : BOX_COLOUR
      rgb[i] = inBox ? r : (x + frame * 4) % 256
      rgb[i + 1] = inBox ? g : (y * 2) % 256
      rgb[i + 2] = inBox ? b : 140
    }
  }
  return encodePng(rgb, WIDTH, HEIGHT)
}

const TARGET = {
  actor: 'viewer-stand-in',
  message: 'cameras.list',
  access: { resource: '/surveillance/cameras', action: 'read' },
} as const

const FACES = {
  ...TARGET,
  message: 'cameras.faces',
  access: { resource: '/surveillance/faces', action: 'read' },
} as const

/** The stand-in mount at /v1/cameras; `frames` live frames per request, then the stream ends. */
export function cameraStandInMount(guard: Guard, frames = 20): GatewayMount {
  const routes = new Hono<{ Variables: { facesClear: boolean } }>()
  routes.use(async (c, next) => {
    const caller = await guard.authenticate(c.req.raw, TARGET)
    let clear = caller !== undefined
    try {
      // authorize may refuse by throwing at once (a cached decision) or by rejecting.
      if (caller) await guard.authorize(caller, FACES)
    } catch {
      clear = false
    }
    c.set('facesClear', clear)
    await next()
  })
  routes.get('/', (c) =>
    c.json({
      cameras: [
        {
          id: 'cam-1',
          host: 'edge-1',
          attributes: { faces: c.get('facesClear') ? 'clear' : 'scrambled', people: 'clear' },
        },
      ],
    }),
  )
  routes.get('/:id/snapshot.png', (c) =>
    c.body(standInFrame(0, !c.get('facesClear')), 200, { 'content-type': 'image/png' }),
  )
  routes.get('/:id/tracks', (c) => {
    const to = Number(c.req.query('to') ?? Date.now())
    return c.json({ tracks: [{ id: 7, t: to, ...BOX, score: 0.9 }] })
  })
  routes.get('/:id/live', (c) => {
    const scrambled = !c.get('facesClear')
    const boundary = 'frame'
    const encoder = new TextEncoder()
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= frames) return controller.close()
        const png = standInFrame(sent++, scrambled)
        controller.enqueue(
          encoder.encode(
            `--${boundary}\r\nContent-Type: image/png\r\nContent-Length: ${png.length}\r\n\r\n`,
          ),
        )
        controller.enqueue(png)
        controller.enqueue(encoder.encode('\r\n'))
        // Paced by the reader only: a real camera would wait for its next frame here.
        await Promise.resolve()
      },
    })
    return new Response(body, {
      headers: { 'content-type': `multipart/x-mixed-replace; boundary=${boundary}` },
    })
  })
  routes.onError((error, c) => {
    const response = errorResponse(error, guard.statusByCode)
    return c.json(response.body, response.status as 401, response.headers)
  })
  return { path: '/v1/cameras', routes: routes as unknown as Hono }
}
