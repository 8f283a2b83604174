/**
 * The dashboard's static files, all served from this repository's own
 * packages (no CDN): the client module (client/dashboard-client.js, bundled
 * once per process with Bun's built-in bundler together with uPlot and
 * viem's account signer, about 0.1 s and no network), uPlot's stylesheet
 * from node_modules/uplot/dist, and the page's own stylesheet.
 */
import { join } from 'node:path'

const CLIENT_ENTRY = join(import.meta.dir, 'client', 'dashboard-client.js')
const PAGE_CSS = join(import.meta.dir, 'client', 'dashboard.css')

export type Asset = { body: string; type: string }

let client: Promise<string> | undefined

async function bundleClient(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [CLIENT_ENTRY],
    target: 'browser',
    format: 'esm',
    minify: true,
  })
  const output = result.outputs[0]
  if (!result.success || !output) {
    throw new Error(`the dashboard client did not bundle: ${result.logs.map(String).join('; ')}`)
  }
  return output.text()
}

/** The asset served under `/assets/<name>`, or undefined for an unknown name. */
export async function dashboardAsset(name: string): Promise<Asset | undefined> {
  switch (name) {
    case 'dashboard.js':
      client ??= bundleClient().catch((error) => {
        client = undefined
        throw error
      })
      return { body: await client, type: 'text/javascript; charset=utf-8' }
    case 'uPlot.min.css':
      return {
        body: await Bun.file(Bun.resolveSync('uplot/dist/uPlot.min.css', import.meta.dir)).text(),
        type: 'text/css; charset=utf-8',
      }
    case 'dashboard.css':
      return { body: await Bun.file(PAGE_CSS).text(), type: 'text/css; charset=utf-8' }
    default:
      return undefined
  }
}
