/**
 * A numeric option of a fault run, written `--name=value` (the faults
 * scenario takes bare words as fault names, so values go after `=`).
 */
export function faultFlag(args: readonly string[], name: string, fallback: number): number {
  const prefix = `--${name}=`
  const arg = args.find((candidate) => candidate.startsWith(prefix))
  const value = arg === undefined ? Number.NaN : Number(arg.slice(prefix.length))
  return Number.isFinite(value) ? value : fallback
}
