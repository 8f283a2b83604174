/** The chain id a CometBFT node reports. */

/**
 * Reads `node_info.network` from plain /status: cosmjs' decoder throws on the
 * empty block hash of a node that has not synced yet.
 */
export async function readChainId(url: string): Promise<string> {
  const response = await fetch(`${url}/status`)
  const body = (await response.json()) as { result?: { node_info?: { network?: string } } }
  const network = body.result?.node_info?.network
  if (!network) throw new Error(`no chain id in ${url}/status`)
  return network
}
