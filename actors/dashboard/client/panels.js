/**
 * The hosts, actors and ledgers panels, drawn from the domain summary
 * (`GET <base>/api/domain`) and the ledger actors' own status messages.
 */
import { el, fill, setText } from './dom.js'

function hostRow(host) {
  if (host.error) {
    return el(
      'tr',
      { 'data-host': host.hostId, class: 'down' },
      el('td', {}, host.hostId),
      el('td', {}, host.role),
      el('td', { class: 'status' }, host.status),
      el('td', { colspan: 4, class: 'error' }, host.error),
    )
  }
  return el(
    'tr',
    { 'data-host': host.hostId },
    el('td', {}, host.hostId),
    el('td', {}, host.role),
    el('td', { class: 'status' }, host.ready ? 'ready' : 'starting'),
    el('td', { class: 'num' }, `${host.load1} / ${host.cpus} cpu`),
    el('td', { class: 'num rss' }, host.rssMb),
    el('td', { class: 'num' }, `${host.placementLoad} / ${host.capacity}`),
    el('td', { class: 'num requests' }, host.requests ?? '–'),
  )
}

/** Fills the hosts table. */
export function renderHosts(summary) {
  fill(document.getElementById('hosts-body'), summary.hosts.map(hostRow))
}

function actorRow(host, actor, onSwap) {
  const cell = (field) => el('td', { class: `num ${field}` }, actor[field])
  return el(
    'tr',
    { 'data-actor': actor.name, 'data-host': host.hostId },
    el('td', {}, actor.name),
    el('td', {}, host.hostId),
    el('td', { class: 'num version' }, `v${actor.version}`),
    el('td', { class: 'status' }, actor.status),
    cell('received'),
    cell('processed'),
    cell('failed'),
    cell('restarts'),
    cell('mailboxDepth'),
    el(
      'td',
      {},
      el('button', { type: 'button', class: 'swap', onclick: () => onSwap(actor) }, 'hot swap'),
    ),
  )
}

/** Fills the actors table: one row per actor per host that runs it. */
export function renderActors(summary, onSwap) {
  const rows = []
  for (const host of summary.hosts) {
    if (host.error) continue
    for (const actor of host.actors) rows.push(actorRow(host, actor, onSwap))
  }
  rows.sort(
    (a, b) =>
      a.dataset.actor.localeCompare(b.dataset.actor) ||
      a.dataset.host.localeCompare(b.dataset.host),
  )
  fill(document.getElementById('actors-body'), rows)
}

/** Shows the CometBFT ledger's status (`ledger.status`). */
export function renderCometbft(status) {
  setText('cometbft-chain', status.chainId)
  setText('cometbft-height', String(status.height))
  setText('cometbft-records', String(status.records))
  setText('cometbft-batches', String(status.batches))
  setText('cometbft-signers', String(status.signers))
}

/** Shows the CometBFT validator set (`ledger.validators`). */
export function renderValidators(set) {
  setText('cometbft-validators', String(set.count))
}

/** Shows the Ethereum chain's latest block (`eth.block`). */
export function renderBlock(block) {
  setText('eth-block', String(block.blockNumber))
}

/** Shows the Ethereum actor's anchoring job (`eth.anchoring_status`). */
export function renderAnchoring(status) {
  setText(
    'eth-anchoring',
    status.enabled
      ? `anchoring ${status.domain}${status.lastError ? ` (last error: ${status.lastError})` : ''}`
      : 'not configured',
  )
  setText('eth-anchored', String(status.anchoredHeight))
}
