/** Test helpers of the identity package: a stand-in identity actor for other services' tests. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module of the identity test helpers
export { type IdentityFixtureHost, identityActorFixture } from './identity-actor-fixture.ts'
