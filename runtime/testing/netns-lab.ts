/**
 * A lab of network namespaces standing in for machines: one namespace per
 * machine, each with a veth pair to one bridge and its own address from
 * 198.18.0.0/15 (RFC 2544's benchmark range). The bridge carries
 * 198.18.255.254, the operator's workstation (this test process). Names
 * carry a per-run tag (`vg<tag>…`), so concurrent runs never meet, and
 * `destroy()` removes every namespace, link and bridge the lab made (it is
 * also run on SIGINT/SIGTERM and at exit). Needs root (CAP_NET_ADMIN).
 */
import type { Subprocess } from 'bun'

export const OPERATOR_ADDRESS = '198.18.255.254'

export type LabMachine = {
  readonly name: string
  readonly namespace: string
  readonly address: string
  /** The veth end on the bridge: down cuts the machine off. */
  readonly hostLink: string
}

export type NetnsLab = {
  readonly tag: string
  readonly machines: ReadonlyMap<string, LabMachine>
  machine(name: string): LabMachine
  /** Runs a command inside a machine's namespace (output into `logFile` when given). */
  spawn(
    name: string,
    cmd: readonly string[],
    options?: { logFile?: string; env?: Record<string, string> },
  ): Subprocess
  /** Runs a command inside a machine's namespace with stdout and stderr piped back. */
  spawnPiped(name: string, cmd: readonly string[]): Subprocess<'ignore', 'pipe', 'pipe'>
  linkDown(name: string): void
  linkUp(name: string): void
  destroy(): Promise<void>
}

/** Why this set-up cannot run here, or undefined when it can (root with `ip netns`). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, veth pairs, a bridge)'
  const probe = Bun.spawnSync(['ip', 'netns', 'list'], { stdout: 'pipe', stderr: 'pipe' })
  if (probe.exitCode !== 0)
    return `'ip netns' does not work here: ${probe.stderr.toString().trim()}`
  return undefined
}

function ip(...args: string[]): void {
  const run = Bun.spawnSync(['ip', ...args], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) throw new Error(`ip ${args.join(' ')}: ${run.stderr.toString().trim()}`)
}

function ipQuiet(...args: string[]): void {
  Bun.spawnSync(['ip', ...args], { stdout: 'ignore', stderr: 'ignore' })
}

/** Creates the bridge and one namespace per name; machine i gets 198.18.0.(i+1). */
export function createNetnsLab(names: readonly string[]): NetnsLab {
  const tag = `${(process.pid % 4096).toString(16)}${Math.floor(Math.random() * 256).toString(16)}`
  const bridge = `vgb${tag}`
  const machines = new Map<string, LabMachine>()
  const children = new Set<Subprocess>()
  let destroyed = false
  /** Synchronous, so it also runs in an exit handler: kills what is left, removes every name. */
  const removeAll = () => {
    removeLab(machines.values(), bridge, children)
    process.off('exit', onExit)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  const destroy = async () => {
    if (destroyed) return
    destroyed = true
    // First politely (the machines stop their children), then by force.
    for (const child of children) child.kill('SIGTERM')
    const exited = Promise.all([...children].map((c) => c.exited))
    await Promise.race([exited, Bun.sleep(10_000)])
    removeAll()
  }
  const onExit = () => {
    if (destroyed) return
    destroyed = true
    removeAll()
  }
  const onSignal = () => void destroy().finally(() => process.exit(130))
  process.on('exit', onExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    ip('link', 'add', bridge, 'type', 'bridge')
    ip('addr', 'add', `${OPERATOR_ADDRESS}/15`, 'dev', bridge)
    ip('link', 'set', bridge, 'up')
    for (const [index, name] of names.entries())
      machines.set(name, addMachine(tag, bridge, name, index))
  } catch (error) {
    void destroy()
    throw error
  }
  const machine = (name: string) => {
    const found = machines.get(name)
    if (!found) throw new Error(`no machine ${name} in the lab`)
    return found
  }
  return {
    tag,
    machines,
    machine,
    spawn(name, cmd, options = {}) {
      const output = options.logFile ? Bun.file(options.logFile) : 'ignore'
      return track(
        children,
        Bun.spawn(['ip', 'netns', 'exec', machine(name).namespace, ...cmd], {
          stdout: output,
          stderr: output,
          stdin: 'ignore',
          env: { ...process.env, ...options.env },
        }),
      )
    },
    spawnPiped: (name, cmd) =>
      track(
        children,
        Bun.spawn(['ip', 'netns', 'exec', machine(name).namespace, ...cmd], {
          stdout: 'pipe',
          stderr: 'pipe',
          stdin: 'ignore',
        }),
      ),
    linkDown: (name) => ip('link', 'set', machine(name).hostLink, 'down'),
    linkUp: (name) => ip('link', 'set', machine(name).hostLink, 'up'),
    destroy,
  }
}

/** Kills what is left in the namespaces and removes every namespace, link and the bridge. */
function removeLab(
  machines: Iterable<LabMachine>,
  bridge: string,
  children: Set<Subprocess>,
): void {
  for (const child of children) child.kill('SIGKILL')
  for (const machine of machines) {
    // Whatever still runs in the namespace (a child of a child) goes with it.
    const pids = Bun.spawnSync(['ip', 'netns', 'pids', machine.namespace], { stdout: 'pipe' })
    for (const pid of pids.stdout.toString().split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL')
      } catch {}
    }
    ipQuiet('link', 'del', machine.hostLink)
    ipQuiet('netns', 'del', machine.namespace)
  }
  ipQuiet('link', 'del', bridge)
}

/** Keeps `child` in `children` until it exits (the lab kills what is left). */
function track<Child extends Subprocess>(children: Set<Subprocess>, child: Child): Child {
  children.add(child)
  void child.exited.then(() => children.delete(child))
  return child
}

function addMachine(tag: string, bridge: string, name: string, index: number): LabMachine {
  const namespace = `vg${tag}-${name}`
  const hostLink = `vh${tag}${index}`
  const inner = `vn${tag}${index}`
  const address = `198.18.0.${index + 1}`
  ip('netns', 'add', namespace)
  try {
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', inner)
    ip('link', 'set', inner, 'netns', namespace)
    ip('link', 'set', hostLink, 'master', bridge)
    ip('link', 'set', hostLink, 'up')
    ip('-n', namespace, 'link', 'set', 'lo', 'up')
    ip('-n', namespace, 'link', 'set', inner, 'name', 'eth0')
    ip('-n', namespace, 'addr', 'add', `${address}/15`, 'dev', 'eth0')
    ip('-n', namespace, 'link', 'set', 'eth0', 'up')
  } catch (error) {
    ipQuiet('link', 'del', hostLink)
    ipQuiet('netns', 'del', namespace)
    throw error
  }
  return { name, namespace, address, hostLink }
}
