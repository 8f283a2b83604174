import { createTcpTransport } from './tcp-transport.ts'
import { runTransportConformance } from './transport.conformance.ts'

runTransportConformance('tcp', () => createTcpTransport())
