/**
 * Routes one ABCI request to the app by its type and wraps the answer, with
 * the guard rails that keep the node from panicking: ProcessProposal never
 * answers status 0, FinalizeBlock always one tx result per tx. Vote
 * extensions and state sync are off; their requests get explicit answers.
 */
import {
  type Request,
  Response,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types'
import type { AbciApplication } from './abci-application.ts'

/** The app's answer to `request`; throws on an unknown request or a broken guard rail. */
export async function routeAbciRequest(app: AbciApplication, request: Request): Promise<Response> {
  if (request.flush) return Response.fromPartial({ flush: {} })
  if (request.echo) return Response.fromPartial({ echo: { message: request.echo.message } })
  if (request.info) return Response.fromPartial({ info: await app.info(request.info) })
  if (request.initChain)
    return Response.fromPartial({ initChain: await app.initChain(request.initChain) })
  if (request.checkTx) return Response.fromPartial({ checkTx: await app.checkTx(request.checkTx) })
  if (request.query) return Response.fromPartial({ query: await app.query(request.query) })
  if (request.commit) return Response.fromPartial({ commit: await app.commit() })
  if (request.prepareProposal) {
    return Response.fromPartial({
      prepareProposal: await app.prepareProposal(request.prepareProposal),
    })
  }
  if (request.processProposal) {
    const answer = await app.processProposal(request.processProposal)
    // Status 0 (UNKNOWN) panics the node: anything but REJECT is ACCEPT.
    const status =
      answer.status === ResponseProcessProposal_ProposalStatus.REJECT
        ? ResponseProcessProposal_ProposalStatus.REJECT
        : ResponseProcessProposal_ProposalStatus.ACCEPT
    return Response.fromPartial({ processProposal: { status } })
  }
  if (request.finalizeBlock) {
    const answer = await app.finalizeBlock(request.finalizeBlock)
    const expected = request.finalizeBlock.txs.length
    if ((answer.txResults?.length ?? 0) !== expected) {
      throw new Error(
        `app answered ${answer.txResults?.length ?? 0} tx results for ${expected} txs`,
      )
    }
    return Response.fromPartial({ finalizeBlock: answer })
  }
  // Vote extensions are off (vote_extensions_enable_height = 0) and state sync is not offered;
  // answer these with explicit non-zero statuses in case they are ever enabled.
  if (request.extendVote)
    return Response.fromPartial({ extendVote: { voteExtension: new Uint8Array() } })
  if (request.verifyVoteExtension) {
    return Response.fromPartial({
      verifyVoteExtension: { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT },
    })
  }
  if (request.listSnapshots) return Response.fromPartial({ listSnapshots: { snapshots: [] } })
  if (request.offerSnapshot) {
    return Response.fromPartial({
      offerSnapshot: { result: ResponseOfferSnapshot_Result.REJECT },
    })
  }
  if (request.loadSnapshotChunk)
    return Response.fromPartial({ loadSnapshotChunk: { chunk: new Uint8Array() } })
  if (request.applySnapshotChunk) {
    return Response.fromPartial({
      applySnapshotChunk: { result: ResponseApplySnapshotChunk_Result.ABORT },
    })
  }
  throw new Error('unknown ABCI request type')
}
