/**
 * The data integrity service (the paper's Algorithm 2): canonical record
 * hashing (RFC 8785 + SHA-256), batch signatures by the edge host's key,
 * commitment through the intra-domain ledger, verification naming the
 * failing part, and the bulk audit of stored rows. Other folders (the fog
 * database) import from here, by name. See docs/integrity.md.
 */
// biome-ignore lint/performance/noBarrelFile: entrypoint module of the integrity folder
export {
  type AnchorCheck,
  type AnchorChecker,
  createAnchorCheckerOverActor,
} from './anchor-check.ts'
export {
  type AuditReport,
  auditRows,
  batchIdentity,
  type RowRef,
  type StoredCall,
  type StoredProof,
  type StoredReceipt,
  type StoredRow,
} from './audit-rows.ts'
export { batchDigest } from './batch-digest.ts'
export {
  type CallProofCheck,
  callEntryReceipt,
  checkCallProof,
  expandReceipts,
  receiptsOfCall,
} from './call-proof.ts'
export {
  callEntry,
  callLedgerKey,
  callTree,
  leavesFromHex,
  leavesHex,
  recordLeaf,
} from './call-tree.ts'
export { canonicalJson } from './canonical-json.ts'
export {
  IntegrityBackpressureError,
  IntegrityDependencyError,
  type IntegrityErrorCode,
  IntegrityKeyError,
  IntegrityRecordInvalidError,
  integrityErrors,
} from './errors.ts'
export {
  type BatchSigner,
  batchSignerFrom,
  loadBatchSigner,
  verifyBatchSignature,
} from './host-key.ts'
export { integrityActor } from './integrity-actor.ts'
export {
  createIntegrityLedgerOverActor,
  type HashRecord,
  type IntegrityLedger,
  type Verification,
} from './integrity-ledger.ts'
export {
  callPathSchema,
  checkEntryOffline,
  checkReceiptOffline,
  compareWithLedger,
  type IntegrityReceipt,
  integrityReceiptSchema,
  type ReceiptCheck,
  type ReceiptPart,
} from './integrity-receipt.ts'
export {
  type IntegrityRecord,
  integrityLedgerKey,
  integrityRecordSchema,
  recordHash,
} from './integrity-record.ts'
export {
  auditReportSchema,
  type IntegrityArgs,
  integrityProtocol,
  ONE_RECORDS_FORM,
  oneRecordsForm,
  recordsPayloadShape,
  signedBatchSchema,
} from './protocol.ts'
export {
  type RecordedCall,
  type RecordRecordsResult,
  recordRecords,
  type SignedBatch,
} from './record-records.ts'
export {
  MAX_RECORDS_JSON_CHARS,
  type ParsedRecords,
  parseRecordsJson,
} from './records-json.ts'
export { type ReceiptLookup, type VerifyRecordResult, verifyRecord } from './verify-record.ts'
