/**
 * Renders a Vega-Lite specification to SVG headless: compiled by vega-lite,
 * rendered by vega's `View.toSVG()` (no browser, no DOM). The benchmarks'
 * plots are data + a spec, never hand-written SVG.
 */
import * as vega from 'vega'
import * as vegaLite from 'vega-lite'

/** A Vega-Lite top-level specification (inline data). */
export type PlotSpec = Record<string, unknown>

/** The SVG text of `spec`. */
export async function renderPlot(spec: PlotSpec): Promise<string> {
  const full = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    config: { font: 'sans-serif', view: { stroke: null } },
    ...spec,
  }
  const compiled = vegaLite.compile(full as vegaLite.TopLevelSpec).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
