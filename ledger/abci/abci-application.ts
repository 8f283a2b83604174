/**
 * What an ABCI 2.0 application implements for {@link createAbciServer}. Each
 * method receives the decoded request and returns a (partial) response; the
 * server fills proto3 defaults. Methods may be async; the server still answers
 * strictly in order on each connection.
 */
import type {
  RequestCheckTx,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types'

type MaybePromise<T> = T | Promise<T>

export interface AbciApplication {
  info(request: RequestInfo): MaybePromise<Partial<ResponseInfo>>
  initChain(request: RequestInitChain): MaybePromise<Partial<ResponseInitChain>>
  checkTx(request: RequestCheckTx): MaybePromise<Partial<ResponseCheckTx>>
  prepareProposal(request: RequestPrepareProposal): MaybePromise<Partial<ResponsePrepareProposal>>
  /** Must answer ACCEPT (1) or REJECT (2); 0 makes CometBFT panic. */
  processProposal(request: RequestProcessProposal): MaybePromise<Partial<ResponseProcessProposal>>
  /** `txResults` must have exactly one entry per tx. */
  finalizeBlock(request: RequestFinalizeBlock): MaybePromise<Partial<ResponseFinalizeBlock>>
  /** Persist here, before returning. */
  commit(): MaybePromise<Partial<ResponseCommit>>
  query(request: RequestQuery): MaybePromise<Partial<ResponseQuery>>
}
