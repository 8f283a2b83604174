/**
 * The dashboard page's script (bundled by dashboard-assets.ts): sign-in,
 * then a refresh every `data-poll-ms` of the hosts, actors, ledgers and
 * cameras panels and the time series, the alert stream, and the operator's
 * hot swap. Every data call carries the session's Bearer token.
 */
import { followFeed } from './alert-feed.js'
import { ApiClient } from './api-client.js'
import { CameraPanel } from './camera-view.js'
import { el, setText } from './dom.js'
import {
  renderActors,
  renderAnchoring,
  renderBlock,
  renderCometbft,
  renderHosts,
  renderValidators,
} from './panels.js'
import { signInWithKey, signInWithWallet } from './sign-in.js'
import { RateSeries } from './time-series.js'

const body = document.body
const base = body.dataset.base
const pollMs = Number(body.dataset.pollMs) || 1000
const api = new ApiClient()
const TOKEN_KEY = 'vigil.session'
let session

function showError(id, error) {
  setText(id, error ? String(error.message ?? error) : '')
}

/** Actors that answer the named messages, from the gateway's OpenAPI document. */
async function discover() {
  const document = await api.json('/v1/openapi.json')
  const actorsWith = (message) =>
    Object.keys(document.paths ?? {})
      .map((path) => /^\/v1\/actors\/([^/]+)\/(.+)$/.exec(path))
      .filter((match) => match && match[2] === message)
      .map((match) => match[1])
  return {
    ledger: actorsWith('ledger.status')[0],
    ethereum: actorsWith('eth.anchoring_status')[0],
    validators: actorsWith('ledger.validators')[0],
    block: actorsWith('eth.block')[0],
    decisions: actorsWith('decision.events'),
  }
}

function swapHandler(actor) {
  const token = document.getElementById('admin-token').value.trim()
  const module = document.getElementById('swap-module').value.trim()
  const exportName = document.getElementById('swap-export').value.trim()
  document.getElementById('operator').open = true
  if (!token || !module) {
    setText('swap-status', `to swap ${actor.name}, enter the admin token and the module to load`)
    return
  }
  setText('swap-status', `swapping ${actor.name}…`)
  fetch('/v1/admin/swap', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      actor: actor.name,
      module,
      ...(exportName ? { export: exportName } : {}),
    }),
  })
    .then(async (response) => {
      const reply = await response.json()
      if (!response.ok) throw new Error(`${response.status} ${reply.code}: ${reply.message}`)
      const hosts = reply.hosts.map(
        (h) =>
          `${h.hostId} ${h.swapped ? `v${h.fromVersion}→v${h.toVersion}` : (h.error?.code ?? 'not running')}`,
      )
      setText('swap-status', `swapped ${reply.actor}: ${hosts.join(', ')}`)
    })
    .catch((error) => setText('swap-status', `swap refused: ${error.message}`))
}

function addAlert(alert) {
  const when = new Date(alert.atMs ?? Date.now()).toLocaleTimeString()
  const item = el(
    'li',
    { class: `alert ${alert.kind}`, 'data-seq': alert.seq },
    el('b', {}, alert.kind),
    ` ${alert.cameraId} track #${alert.trackId}`,
    alert.zone ? ` in ${alert.zone}` : '',
    ` · suspicion ${Number(alert.suspicion).toFixed(2)} · ${when}`,
  )
  document.getElementById('alerts-list').prepend(item)
}

async function refreshLedgers(names, series) {
  try {
    if (names.ledger) {
      const status = await api.ask(names.ledger, 'ledger.status')
      renderCometbft(status)
      series.records.push(status.records)
    } else setText('cometbft-chain', 'no ledger actor deployed')
    if (names.ethereum) renderAnchoring(await api.ask(names.ethereum, 'eth.anchoring_status'))
    else setText('eth-anchoring', 'no Ethereum actor deployed')
    if (names.validators) renderValidators(await api.ask(names.validators, 'ledger.validators'))
    if (names.block) renderBlock(await api.ask(names.block, 'eth.block'))
    showError('ledgers-error')
  } catch (error) {
    showError('ledgers-error', error)
  }
}

async function refresh(state) {
  const { names, series, cameras, signal } = state
  try {
    const summary = await api.json(`${base}/api/domain`)
    if (signal.aborted) return
    renderHosts(summary)
    renderActors(summary, swapHandler)
    series.requests.push(
      summary.hosts.reduce((sum, host) => sum + (host.requests ?? 0), 0),
      summary.at,
    )
    showError('hosts-error')
  } catch (error) {
    showError('hosts-error', error)
  }
  if (signal.aborted) return
  await refreshLedgers(names, series)
  series.alerts.push(state.alerts)
  if (signal.aborted) return
  try {
    await cameras.refresh()
    showError('cameras-error')
  } catch (error) {
    showError('cameras-error', error)
  }
}

function endSession() {
  session?.controller.abort()
  session?.cameras.clear()
}

function followAlerts(state, decisions) {
  setText(
    'alerts-source',
    decisions.length
      ? `streaming ${decisions.map((n) => `${n}/decision.events`).join(', ')}`
      : 'no decision actor deployed',
  )
  document.getElementById('alerts-list').replaceChildren()
  for (const actor of decisions) {
    void followFeed(api, `/v1/events/${encodeURIComponent(actor)}/decision.events`, {
      signal: state.signal,
      onAlert: (alert) => {
        state.alerts++
        addAlert(alert)
        showError('alerts-error')
      },
      onError: (error) => showError('alerts-error', error),
    })
  }
}

async function start(token, address) {
  endSession()
  api.token = token
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token, address }))
  setText('who', `signed in as ${address}`)
  setText('sign-in-status', `Signed in as ${address}.`)
  document.getElementById('sign-out').hidden = false
  const controller = new AbortController()
  const state = {
    signal: controller.signal,
    names: undefined,
    alerts: 0,
    cameras: new CameraPanel(api),
    series: session?.series ?? {
      requests: new RateSeries('requests/s (all gateways)', 'chart-requests'),
      records: new RateSeries('ledger records/s', 'chart-records'),
      alerts: new RateSeries('alerts/s', 'chart-alerts'),
    },
  }
  session = { controller, series: state.series, cameras: state.cameras }
  state.names = await discover()
  if (controller.signal.aborted) return
  followAlerts(state, state.names.decisions)
  while (!controller.signal.aborted) {
    await refresh(state)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

async function signInThen(action) {
  setText('sign-in-status', 'Signing in…')
  try {
    const result = await action()
    void start(result.token, result.address)
  } catch (error) {
    setText('sign-in-status', `Sign-in failed: ${error.message}`)
  }
}

async function signOut() {
  try {
    await api.fetch('/v1/auth/sign-out', { method: 'POST' })
  } catch {
    // The session may have expired already; forget it either way.
  }
  endSession()
  api.token = ''
  sessionStorage.removeItem(TOKEN_KEY)
  setText('who', 'signed out')
  setText('sign-in-status', 'Signed out.')
  document.getElementById('sign-out').hidden = true
}

document.getElementById('sign-in-key').addEventListener('click', () => {
  const field = document.getElementById('key-file')
  const keyFile = field.value
  // The key stays in the page only as long as it takes to sign.
  field.value = ''
  return signInThen(() => signInWithKey(api, keyFile))
})
document.getElementById('sign-out').addEventListener('click', () => void signOut())
if (window.ethereum) {
  const wallet = document.getElementById('sign-in-wallet')
  wallet.hidden = false
  wallet.addEventListener('click', () => signInThen(() => signInWithWallet(api, window.ethereum)))
}
const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null')
if (saved?.token) void start(saved.token, saved.address)
body.dataset.ready = 'true'
