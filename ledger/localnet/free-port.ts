/**
 * Free loopback TCP ports chosen at run time: bind port 0, read the port the
 * kernel picked, release it. Ports are held together until all are chosen, so
 * one call never returns the same port twice.
 */
export function freePorts(count: number, hostname = '127.0.0.1'): number[] {
  const listeners = Array.from({ length: count }, () =>
    Bun.listen({ hostname, port: 0, socket: { data() {} } }),
  )
  const ports = listeners.map((listener) => listener.port)
  for (const listener of listeners) listener.stop(true)
  return ports
}
