/**
 * vigil's Solidity contracts as TypeScript: the generated ABIs and creation bytecode (typed for
 * viem) of IdentityRegistry, CapabilityAccessControl, PrivacyPolicy and Anchor. contracts/ is a
 * leaf — sources, the offline compiler and its output — and imports nothing else of vigil; the
 * chain client (ledger/ethereum) and the security actors import from here.
 */
// biome-ignore lint/performance/noBarrelFile: entry point of the contracts folder
export { anchor, capabilityAccessControl, identityRegistry, privacyPolicy } from './generated.ts'
