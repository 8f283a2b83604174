import { runLedgerConformance } from '../../../ledger/index.ts'
import { createMemoryLedger } from './memory-ledger.ts'

runLedgerConformance({ name: 'createMemoryLedger', create: createMemoryLedger })
