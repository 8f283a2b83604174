/**
 * The operator dashboard in a real browser: Debian's headless Chromium
 * (/usr/bin/chromium, installed by `npm test`'s bootstrap) driven by
 * playwright-core, against a running domain (dashboard-domain-fixture.ts:
 * a CometBFT localnet and two real hosts). The tests assert what a person
 * sees — sign-in, host and actor rows, a counter that grows after requests,
 * the ledger's height and records, an alert arriving, a camera picture with
 * its track box (scrambled for the viewer, pixel-exact for the operator),
 * a hot swap — and save screenshots to .data/screenshots/.
 * The camera panel runs against the real viewer API (the privacy actor on
 * edge-1, its policy on anvil), fed synthetic frames by `domain.ingest`.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { signIn } from '../../actors/auth/index.ts'
import {
  correlation,
  regionOf,
  sharedWindows,
  syntheticFrame,
} from '../../actors/privacy/testing/index.ts'
import { counterFixtures, waitFor } from '../../runtime/testing/index.ts'
import {
  type DashboardDomain,
  FACE,
  FRAME,
  PERSON,
  startDashboardDomain,
} from './dashboard-domain-fixture.ts'

setDefaultTimeout(30_000)

const SCREENSHOTS = join(import.meta.dir, '..', '..', '.data', 'screenshots')
const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium'
const WAIT = { timeout: 10_000 }

let domain: DashboardDomain
let browser: Browser
let page: Page
let token: string
/** Uncaught page errors and Content-Security-Policy violations, which a person would not see. */
const pageProblems: string[] = []

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
  const [started, launched] = await Promise.all([
    startDashboardDomain(),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ])
  domain = started
  browser = launched
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy'))
      pageProblems.push(message.text())
  })
  token = (await signIn(domain.fog.info.http, domain.operatorKey)).token
})

afterAll(async () => {
  await browser?.close()
  await domain?.stop()
})

const shot = (name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true })
const text = async (selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim()

async function post(
  actor: string,
  message: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${domain.fog.info.http}/v1/actors/${actor}/${message}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

/** Waits until the text of `selector` satisfies `ok`, and returns it. */
function textIn(selector: string, ok: (text: string) => boolean): Promise<string> {
  return waitFor(
    async () => {
      const found = page.locator(selector).first()
      if ((await found.count()) === 0) return undefined
      const value = ((await found.textContent()) ?? '').trim()
      return ok(value) ? value : undefined
    },
    { timeoutMs: WAIT.timeout, message: `the text of ${selector}` },
  )
}

/** Waits until the number in `selector` satisfies `ok`, and returns it. */
async function numberIn(selector: string, ok: (n: number) => boolean): Promise<number> {
  const value = await textIn(
    selector,
    (t) => t !== '' && Number.isFinite(Number(t)) && ok(Number(t)),
  )
  return Number(value)
}

const CAMERA = 'article[data-camera="cam-1"]'

/** The parts of the page's <img> and <canvas> the pixel check uses (the test has no DOM types). */
type PageImage = {
  /** Resolves once the image's current src is loaded and decoded. */
  decode(): Promise<void>
  naturalWidth: number
  naturalHeight: number
  ownerDocument: { createElement(tag: 'canvas'): PageCanvas }
}
type PageCanvas = {
  width: number
  height: number
  getContext(kind: '2d'): {
    drawImage(image: PageImage, x: number, y: number): void
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
  }
}

/** The natural width of the camera picture, 0 until it has loaded. */
function pictureWidth(): Promise<number> {
  return page.locator(`${CAMERA} img`).evaluate((img: PageImage) => img.naturalWidth)
}

/** The RGB pixels of the camera picture as the page's <img> shows them: drawn into a canvas and read back. */
async function picturePixels(): Promise<{ width: number; pixels: Uint8Array }> {
  const rgba = await page.locator(`${CAMERA} img`).evaluate(async (img: PageImage) => {
    // The live view swaps src as frames arrive: read the picture once the current one is decoded
    // (decode() rejects when a newer frame replaces it first; then wait for that one).
    for (let attempt = 0; attempt < 20; attempt++) {
      const ok = await img.decode().then(
        () => true,
        () => false,
      )
      if (ok && img.naturalWidth > 0) break
    }
    const canvas = img.ownerDocument.createElement('canvas')
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    const g = canvas.getContext('2d')
    g.drawImage(img, 0, 0)
    return Array.from(g.getImageData(0, 0, img.naturalWidth, img.naturalHeight).data)
  })
  const pixels = new Uint8Array((rgba.length / 4) * 3)
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) pixels.set(rgba.slice(i, i + 3), o)
  return { width: FRAME.width, pixels }
}

async function signInWithKeyFile(key: string) {
  await page.fill('#key-file', `${key}\n`)
  await page.click('#sign-in-key')
  await textIn('#sign-in-status', (t) => t.startsWith('Signed in as'))
  // The pasted key does not stay on the page.
  expect(await page.inputValue('#key-file')).toBe('')
}

describe('the operator dashboard in Chromium', () => {
  test('shows the sign-in form and no host data before anyone signs in', async () => {
    const response = await page.goto(`${domain.fog.info.http}/dashboard`)
    expect(response?.status()).toBe(200)
    await page.waitForSelector('body[data-ready="true"]', WAIT)
    expect(await text('#sign-in-status')).toBe('Not signed in.')
    expect(await text('#served-by')).toBe('fog-1')
    expect(await page.locator('#hosts-body tr').count()).toBe(0)
  })

  test('a signed-in viewer without the dashboard right sees the refusal instead of the hosts, and the camera face scrambled', async () => {
    await signInWithKeyFile(domain.viewerKey)
    expect(await text('#who')).toBe(`signed in as ${domain.viewer}`)
    await textIn('#hosts-error', (t) => t.includes('ACCESS_DENIED'))
    expect(await page.locator('#hosts-body tr').count()).toBe(0)
    // The viewer may list the cameras but holds no /privacy/faces right and no policy grant.
    await textIn(`${CAMERA} [data-attribute="faces"]`, (t) => t === 'faces: scrambled')
    await waitFor(async () => (await pictureWidth()) === FRAME.width, {
      message: 'the picture to load',
    })
    const seen = await picturePixels()
    const original = domain.original()
    for (const box of [FACE, PERSON]) {
      const before = regionOf(original, box)
      const after = regionOf(seen, box)
      expect(Math.abs(correlation(before, after))).toBeLessThan(0.2)
      expect(sharedWindows(before, after)).toBe(0)
    }
    // Outside the person box the picture is the camera's.
    const outside = { x: 100, y: 0, w: 60, h: FRAME.height }
    expect(regionOf(seen, outside)).toEqual(regionOf(original, outside))
    await shot('viewer-refused')
  })

  test('an operator signed in with a key file sees both hosts and the actors placed on them', async () => {
    await signInWithKeyFile(domain.operatorKey)
    await page.waitForSelector('#hosts-body tr[data-host="edge-1"] td.status:text("ready")', WAIT)
    expect(await text('#hosts-body tr[data-host="fog-1"] td:nth-child(2)')).toBe('fog')
    expect(await text('#hosts-body tr[data-host="edge-1"] td:nth-child(2)')).toBe('edge')
    expect(Number(await text('#hosts-body tr[data-host="fog-1"] td.rss'))).toBeGreaterThan(0)
    await page.waitForSelector('#actors-body tr[data-actor="counter"][data-host="edge-1"]', WAIT)
    await page.waitForSelector('#actors-body tr[data-actor="ledger"][data-host="fog-1"]', WAIT)
    expect(await page.locator('#actors-body tr[data-actor="counter"]').count()).toBe(1)
    expect(await text('#hosts-error')).toBe('')
  })

  test("the counter actor's received count on the page grows after requests to it", async () => {
    const row = '#actors-body tr[data-actor="counter"][data-host="edge-1"]'
    const before = await numberIn(`${row} td.received`, () => true)
    for (let i = 0; i < 3; i++) await post('counter', 'counter.add', { by: 1 })
    const after = await numberIn(`${row} td.received`, (n) => n >= 3)
    expect(after).toBeGreaterThanOrEqual(before + 3)
    await numberIn('#hosts-body tr[data-host="fog-1"] td.requests', (n) => n > 0)
  })

  test('the ledger panel shows the CometBFT height and validators, the record just committed, and the Ethereum block growing as it anchors', async () => {
    const before = await numberIn('#cometbft-records', () => true)
    const blockBefore = await numberIn('#eth-block', (n) => n > 0)
    const receipt = await post('ledger', 'ledger.commit', {
      kind: 'feature_hash',
      key: `feature_hash:${domain.operator}/dashboard-1`,
      dataHex: 'abcd',
    })
    // The privacy service's release audits land on the same chain, so others may commit too.
    expect(await numberIn('#cometbft-records', (n) => n > before)).toBeGreaterThan(before)
    expect(await numberIn('#cometbft-height', (n) => n > 0)).toBeGreaterThan(0)
    // The localnet has one validator; anvil mines a block per transaction, so anchoring the
    // record's height (a transaction sent after the commit) moves the block number on.
    expect(await numberIn('#cometbft-validators', () => true)).toBe(1)
    await numberIn('#eth-anchored', (n) => n >= (receipt.height as number))
    expect(await numberIn('#eth-block', (n) => n > blockBefore)).toBeGreaterThan(blockBefore)
    expect(await text('#eth-anchoring')).toStartWith('anchoring chain-')
  })

  test('an intrusion alert appears on the page as the decision actor raises it', async () => {
    expect(await page.locator('#alerts-list li').count()).toBe(0)
    const track = (id: number, x: number, y: number) => ({ id, x, y, w: 20, h: 60, score: 1 })
    for (let i = 0; i < 6; i++) {
      await post('surveil-features', 'features.observe', {
        cameraId: 'cam-z',
        t: i * 0.5,
        decodedAtMs: Date.now(),
        tracks: [track(2, 150 + i * 20, 100)],
      })
    }
    await page.waitForSelector('#alerts-list li.alert.intrusion', WAIT)
    expect(await text('#alerts-list li.alert.intrusion')).toContain('cam-z track #2 in server-room')
    await shot('operator')
  })

  test('the camera panel shows the operator the clear picture, its track box and the live view', async () => {
    const camera = CAMERA
    // A fresh frame (the panel draws the last 10 s of tracks), then the snapshot button.
    await domain.ingest(1)
    await page.click(`${camera} button.snapshot`)
    await textIn(`${camera} .camera-status`, (t) => t === 'snapshot')
    await page.waitForSelector(`${camera} canvas[data-tracks="1"]`, WAIT)
    expect(await text(`${camera} [data-attribute="faces"]`)).toBe('faces: clear')
    const picture = await page
      .locator(`${camera} img`)
      .evaluate((img: { src: string; naturalWidth: number }) => ({
        src: img.src,
        width: img.naturalWidth,
      }))
    expect(picture.src.startsWith('blob:')).toBe(true)
    expect(picture.width).toBe(FRAME.width)
    // Lossless frames, unscrambled for the operator: bit-identical to what the camera took.
    const seen = await picturePixels()
    expect(Buffer.from(seen.pixels).equals(Buffer.from(domain.original().pixels))).toBe(true)
    // Each clear view is a release the privacy service audited (hashes to the ledger via integrity).
    const { releases } = (await domain.edge.ref('privacy').ask('privacy.releases', {})) as {
      releases: { data: { viewer: string; kind: string } }[]
    }
    expect(releases.map((r) => r.data.viewer)).toContain(domain.operator)
    expect(releases.map((r) => r.data.viewer)).not.toContain(domain.viewer)
    await page.click(`${camera} button.live`)
    // The live view counts the frames the camera goes on producing.
    let seed = 2
    await waitFor(
      async () => {
        await domain.ingest(seed++)
        const status = await text(`${camera} .camera-status`)
        return Number(/^live · (\d+) frames$/.exec(status)?.[1] ?? 0) >= 3
      },
      { message: 'three live frames' },
    )
    // Each live frame is clear for the operator: the picture shown is one the camera took.
    const live = Buffer.from((await picturePixels()).pixels)
    const taken = Array.from({ length: seed }, (_, s) =>
      Buffer.from(syntheticFrame(FRAME.width, FRAME.height, s).pixels),
    )
    expect(taken.some((frame) => frame.equals(live))).toBe(true)
    await shot('camera')
  })

  test('an operator hot-swaps the counter to version 2 from the page with the admin token', async () => {
    const row = '#actors-body tr[data-actor="counter"][data-host="edge-1"]'
    expect(await text(`${row} td.version`)).toBe('v1')
    await page.click(`${row} button.swap`)
    expect(await text('#swap-status')).toContain('enter the admin token')
    await page.fill('#admin-token', domain.files.adminToken)
    await page.fill('#swap-module', counterFixtures.v2)
    await page.fill('#swap-export', 'counterActorV2')
    await page.click(`${row} button.swap`)
    await textIn('#swap-status', (t) => t.startsWith('swapped counter'))
    expect(await text('#swap-status')).toContain('edge-1 v1→v2')
    await page.waitForSelector(`${row} td.version:text("v2")`, WAIT)
    await shot('swapped')
  })

  test('the page raised no script error and broke no rule of its content security policy', () => {
    expect(pageProblems).toEqual([])
  })
})
