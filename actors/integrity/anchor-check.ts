/**
 * The Ethereum half of `integrity.verify`: where the intra-domain batch root
 * of a receipt is anchored on Ethereum (the anchoring job of
 * ledger/ethereum), the receipt must hold against that anchored root too —
 * checked by the Ethereum ledger actor (`eth.get_anchor`,
 * `eth.verify_anchored_receipt`, which has the Anchor contract walk the audit
 * path). A batch not (yet) anchored is not a failure: it is reported as such.
 */
import type { Receipt } from '../../ledger/index.ts'
import type { ActorContext } from '../../runtime/index.ts'
import { IntegrityDependencyError } from './errors.ts'

export type AnchorCheck =
  | { readonly anchored: false }
  | { readonly anchored: true; readonly valid: true; readonly block: number; readonly at: number }
  | { readonly anchored: true; readonly valid: false; readonly reason: string }

/** Checks a receipt against its batch's Ethereum anchor. */
export type AnchorChecker = { check(receipt: Receipt): Promise<AnchorCheck> }

const READ_TIMEOUT_MS = 15_000

type AnchorReply = { anchored: boolean }
type VerifyReply =
  | { valid: true; anchoredAtBlock: number; anchoredAt: number }
  | { valid: false; reason: string }

/** An AnchorChecker by asks to the Ethereum ledger actor named `ethereumActor`. */
export function createAnchorCheckerOverActor(
  context: ActorContext,
  ethereumActor: string,
): AnchorChecker {
  const ask = async <T>(type: string, payload: unknown): Promise<T> => {
    try {
      return await context.ask<T>(ethereumActor, type, payload, { timeoutMs: READ_TIMEOUT_MS })
    } catch (cause) {
      throw new IntegrityDependencyError(
        `The Ethereum ledger actor ${ethereumActor} did not answer ${type}: check that it runs`,
        { cause },
      )
    }
  }
  return {
    async check(receipt) {
      const anchor = await ask<AnchorReply>('eth.get_anchor', {
        domain: receipt.chainId,
        height: receipt.height,
        batchId: receipt.batchId,
      })
      if (!anchor.anchored) return { anchored: false }
      const verdict = await ask<VerifyReply>('eth.verify_anchored_receipt', { receipt })
      return verdict.valid
        ? { anchored: true, valid: true, block: verdict.anchoredAtBlock, at: verdict.anchoredAt }
        : { anchored: true, valid: false, reason: verdict.reason }
    },
  }
}
