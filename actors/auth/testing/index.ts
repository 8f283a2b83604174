/** Public surface of actors/auth/testing/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { codeOf } from './code-of.ts'
export { fakeHostServices } from './fake-host-services.ts'
export { fakeDirectory, fakeSecurityActors, inProcessAuthActor } from './security-fakes.ts'
