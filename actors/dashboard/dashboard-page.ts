/**
 * The dashboard's HTML, rendered by the host that serves it: the panels'
 * skeletons (filled in by client/dashboard-client.js from the data routes),
 * the sign-in form, and the settings the client reads from `data-*`
 * attributes of <body>. Nothing secret is rendered: data needs a session.
 */

export type DashboardPageOptions = {
  hostId: string
  /** Where the dashboard is mounted, e.g. `/dashboard`. */
  mountPath: string
  /** How often the client refreshes, ms. */
  pollMs: number
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string)
}

const SIGN_IN = `
<section id="sign-in" class="panel">
  <h2>Sign in</h2>
  <p class="hint">EIP-4361: paste an account key file (0x… hex private key; it never leaves this page) or use a browser wallet.</p>
  <textarea id="key-file" rows="2" placeholder="0x… (contents of a .key file)" spellcheck="false"></textarea>
  <div class="row">
    <button id="sign-in-key" type="button">Sign in with key file</button>
    <button id="sign-in-wallet" type="button" hidden>Sign in with browser wallet</button>
    <button id="sign-out" type="button" hidden>Sign out</button>
  </div>
  <p id="sign-in-status" role="status">Not signed in.</p>
</section>`

const PANELS = `
<section id="hosts" class="panel wide">
  <h2>Hosts</h2>
  <table><thead><tr><th>host</th><th>role</th><th>status</th><th>load (1 min)</th><th>RSS MB</th><th>placement</th><th>requests</th></tr></thead>
  <tbody id="hosts-body"></tbody></table>
  <p class="error" id="hosts-error"></p>
</section>
<section id="actors" class="panel wide">
  <h2>Actors</h2>
  <table><thead><tr><th>actor</th><th>host</th><th>version</th><th>status</th><th>received</th><th>processed</th><th>failed</th><th>restarts</th><th>mailbox</th><th></th></tr></thead>
  <tbody id="actors-body"></tbody></table>
  <details id="operator">
    <summary>Operator: hot swap</summary>
    <p class="hint">Hot swap uses the gateways' admin path (<code>POST /v1/admin/swap</code>) with the admin token from the domain's <code>keys/admin.token</code>; only modules the hosts list as swappable are accepted.</p>
    <label>admin token <input id="admin-token" type="password" autocomplete="off"></label>
    <label>module <input id="swap-module" size="50" placeholder="/path/to/actor.ts"></label>
    <label>export <input id="swap-export" placeholder="actorV2"></label>
    <p id="swap-status" role="status"></p>
  </details>
</section>
<section id="ledgers" class="panel">
  <h2>Ledgers</h2>
  <dl>
    <dt>CometBFT chain</dt><dd id="cometbft-chain">–</dd>
    <dt>height</dt><dd id="cometbft-height">–</dd>
    <dt>records</dt><dd id="cometbft-records">–</dd>
    <dt>batches</dt><dd id="cometbft-batches">–</dd>
    <dt>signers</dt><dd id="cometbft-signers">–</dd>
    <dt>validators</dt><dd id="cometbft-validators">–</dd>
    <dt>Ethereum block</dt><dd id="eth-block">–</dd>
    <dt>Ethereum anchoring</dt><dd id="eth-anchoring">–</dd>
    <dt>anchored height</dt><dd id="eth-anchored">–</dd>
  </dl>
  <p class="error" id="ledgers-error"></p>
</section>
<section id="charts" class="panel wide">
  <h2>Time series</h2>
  <div class="charts"><div id="chart-requests"></div><div id="chart-records"></div><div id="chart-alerts"></div></div>
</section>
<section id="cameras" class="panel wide">
  <h2>Cameras</h2>
  <div id="cameras-list"></div>
  <p class="error" id="cameras-error"></p>
</section>
<section id="alerts" class="panel">
  <h2>Alerts</h2>
  <p class="hint" id="alerts-source">–</p>
  <ol id="alerts-list" reversed></ol>
  <p class="error" id="alerts-error"></p>
</section>`

/** The page. */
export function dashboardPage(options: DashboardPageOptions): string {
  const host = escapeHtml(options.hostId)
  const base = escapeHtml(options.mountPath)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vigil · ${host}</title>
<link rel="stylesheet" href="${base}/assets/uPlot.min.css">
<link rel="stylesheet" href="${base}/assets/dashboard.css">
</head>
<body data-host="${host}" data-base="${base}" data-poll-ms="${options.pollMs}">
<header><h1>vigil operator dashboard</h1><span>served by <b id="served-by">${host}</b></span><span id="who">signed out</span></header>
<main>${SIGN_IN}${PANELS}
</main>
<script type="module" src="${base}/assets/dashboard.js"></script>
</body>
</html>`
}
