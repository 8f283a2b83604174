import type { SupervisionStrategy } from '../kernel/kernel-config.ts'

/**
 * Which children restart when `failed` crashes, in start order (OTP):
 * `one_for_one` only the failed child, `one_for_all` every child,
 * `rest_for_one` the failed child and every child started after it.
 */
export function childrenToRestart(
  strategy: SupervisionStrategy,
  childrenInStartOrder: readonly string[],
  failed: string,
): string[] {
  const index = childrenInStartOrder.indexOf(failed)
  if (index < 0) return []
  switch (strategy) {
    case 'one_for_one':
      return [failed]
    case 'one_for_all':
      return [...childrenInStartOrder]
    case 'rest_for_one':
      return childrenInStartOrder.slice(index)
  }
}
