/**
 * The three time series (req/s over every gateway, ledger records/s,
 * alerts per refresh) drawn with uPlot. Each is a rate of a counter the
 * hosts already expose: the sum of `vigil_http_requests_total`, the
 * ledger's `records`, and the alerts the event stream delivered.
 */
import uPlot from 'uplot'

const KEEP = 120

/** A rate of a growing counter: `push(total)` at each refresh, per second. */
export class RateSeries {
  #last

  constructor(label, id) {
    this.label = label
    this.times = []
    this.values = []
    const node = document.getElementById(id)
    this.plot = new uPlot(
      {
        title: label,
        width: Math.max(260, Math.floor((node.clientWidth || 320) - 8)),
        height: 140,
        scales: { x: { time: true } },
        series: [{}, { label, stroke: '#2a6df4', fill: 'rgba(42,109,244,0.12)', width: 1.5 }],
        axes: [{}, { size: 40 }],
      },
      [[], []],
      node,
    )
  }

  /** Adds a sample of the counter; the first one only sets the baseline. */
  push(total, atMs = Date.now()) {
    if (total === null || total === undefined || Number.isNaN(total)) return
    const last = this.#last
    this.#last = { total, atMs }
    if (!last || atMs <= last.atMs) return
    const rate = Math.max(0, ((total - last.total) * 1000) / (atMs - last.atMs))
    this.times.push(atMs / 1000)
    this.values.push(Math.round(rate * 100) / 100)
    if (this.times.length > KEEP) {
      this.times.shift()
      this.values.shift()
    }
    this.plot.setData([this.times, this.values])
  }

  /** The latest rate, or undefined before two samples. */
  latest() {
    return this.values.at(-1)
  }
}
