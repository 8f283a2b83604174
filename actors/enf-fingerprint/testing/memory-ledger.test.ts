import { runLedgerConformance } from '../../../ledger/ledger.conformance.ts'
import { createMemoryLedger } from './memory-ledger.ts'

runLedgerConformance({ name: 'createMemoryLedger', create: createMemoryLedger })
