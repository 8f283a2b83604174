/**
 * Errors of the Ethereum (inter-domain) ledger: what the ledger actor, the chain clients, the
 * anchoring job and `vigil contracts deploy` answer with. Messages never carry RPC URLs with
 * credentials or keys (BaseError scrubs; callers pass no key material in the first place).
 */
import { type BaseErrorOptions, defineError } from '../../runtime/index.ts'

/** A transaction or call reverted; `meta.errorName` is the decoded custom error (e.g. `NotAdmin`). */
export class EthTxRevertedError extends defineError('ETH_TX_REVERTED') {
  readonly errorName: string | undefined
  constructor(
    parameters: {
      contract: string
      functionName: string
      errorName?: string | undefined
      errorArgs?: readonly unknown[] | undefined
      txHash?: string | undefined
    },
    options: BaseErrorOptions = {},
  ) {
    const reason = parameters.errorName
      ? `${parameters.errorName}(${(parameters.errorArgs ?? []).map(String).join(', ')})`
      : 'without a decodable reason'
    super(`${parameters.contract}.${parameters.functionName} reverted: ${reason}`, {
      kind: 'application',
      ...options,
      meta: {
        contract: parameters.contract,
        functionName: parameters.functionName,
        errorName: parameters.errorName,
        errorArgs: (parameters.errorArgs ?? []).map((arg) =>
          typeof arg === 'bigint' ? arg.toString() : arg,
        ),
        txHash: parameters.txHash,
        ...options.meta,
      },
    })
    this.errorName = parameters.errorName
  }
}

/** The JSON-RPC endpoint could not be reached or answered with a transport error. */
export class EthRpcUnavailableError extends defineError('ETH_RPC_UNAVAILABLE', 'runtime') {}

/** A sent transaction had no receipt within the timeout. */
export class EthReceiptTimeoutError extends defineError('ETH_RECEIPT_TIMEOUT') {
  constructor(txHash: string, timeoutMs: number, options: BaseErrorOptions = {}) {
    super(
      `no receipt for transaction ${txHash} after ${timeoutMs} ms; the chain may be stalled or the fee too low`,
      { kind: 'runtime', ...options, meta: { txHash, timeoutMs, ...options.meta } },
    )
  }
}

/** The key file is missing, unreadable or does not hold one 32-byte hex private key. */
export class EthKeyFileInvalidError extends defineError('ETH_KEY_FILE_INVALID') {
  constructor(path: string, problem: string, options: BaseErrorOptions = {}) {
    super(`key file ${path} ${problem}; it must contain one 0x-prefixed 32-byte hex private key`, {
      kind: 'application',
      ...options,
      meta: { path, ...options.meta },
    })
  }
}

/** The addresses file written by `vigil contracts deploy` is missing or malformed. */
export class EthAddressesFileInvalidError extends defineError('ETH_ADDRESSES_FILE_INVALID') {
  constructor(path: string, problem: string, options: BaseErrorOptions = {}) {
    super(
      `contract addresses file ${path} ${problem}; write it with 'vigil contracts deploy --out ${path}'`,
      { kind: 'application', ...options, meta: { path, ...options.meta } },
    )
  }
}

/** The RPC endpoint serves a different chain than configured. */
export class EthChainMismatchError extends defineError('ETH_CHAIN_MISMATCH') {
  constructor(expected: number, actual: number, options: BaseErrorOptions = {}) {
    super(`the RPC endpoint serves chain ${actual}, but chain ${expected} is configured`, {
      kind: 'application',
      ...options,
      meta: { expected, actual, ...options.meta },
    })
  }
}

/** A value cannot be encoded for the contracts (zone or role name too long, bad hex). */
export class EthInvalidArgumentError extends defineError('ETH_INVALID_ARGUMENT', 'application') {}

/** CapabilityAccessControl denied a request; `meta.decision` says why (Expired, Revoked, …). */
export class AccessDeniedError extends defineError('ACCESS_DENIED') {
  constructor(
    parameters: { subject: string; resource: string; action: string; decision: string },
    options: BaseErrorOptions = {},
  ) {
    super(
      `${parameters.subject} may not ${parameters.action} ${parameters.resource}: ${parameters.decision}`,
      { kind: 'application', ...options, meta: { ...parameters, ...options.meta } },
    )
  }
}

/** The Ethereum ledger actor was given a contract admin's key; hosts sign with their own account. */
export class EthKeyIsAdminError extends defineError('ETH_KEY_IS_ADMIN') {
  constructor(account: string) {
    super(
      `the key file's account ${account} is a contract admin; give the host its own account key (anchorer only) and keep the admin key for 'vigil identity|access|privacy'`,
      { kind: 'runtime', meta: { account } },
    )
  }
}

/** Anchoring is configured but the host's account may not anchor roots of the domain. */
export class EthNotAnchorerError extends defineError('ETH_NOT_ANCHORER') {
  constructor(account: string, domain: string) {
    super(
      `account ${account} is not an anchorer of domain '${domain}'; grant it with 'vigil contracts anchorer-add --domain ${domain} --anchorer ${account}'`,
      { kind: 'runtime', meta: { account, domain } },
    )
  }
}
