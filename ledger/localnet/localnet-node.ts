/** Where one validator of a localnet lives: its folder, ports and files. */
import { join } from 'node:path'
import { freePorts } from './free-port.ts'

export type LocalnetNode = {
  readonly index: number
  readonly home: string
  readonly nodeId: string
  readonly p2pPort: number
  readonly rpcPort: number
  /** http://127.0.0.1:<rpcPort> */
  readonly rpcUrl: string
  /** ws://127.0.0.1:<rpcPort>/websocket */
  readonly wsUrl: string
  /** unix:///…/abci.sock */
  readonly abciAddress: string
  readonly dbFile: string
}

/** One node per id (node folders `<dir>/node<i>`), on ports chosen free now. */
export function localnetNodes(dir: string, nodeIds: readonly string[]): LocalnetNode[] {
  const ports = freePorts(nodeIds.length * 2)
  return nodeIds.map((nodeId, index) => {
    const home = join(dir, `node${index}`)
    const p2pPort = ports[index * 2] as number
    const rpcPort = ports[index * 2 + 1] as number
    return {
      index,
      home,
      nodeId,
      p2pPort,
      rpcPort,
      rpcUrl: `http://127.0.0.1:${rpcPort}`,
      wsUrl: `ws://127.0.0.1:${rpcPort}/websocket`,
      abciAddress: `unix://${join(home, 'abci.sock')}`,
      dbFile: join(home, 'data', 'vigil-ledger.sqlite'),
    }
  })
}
