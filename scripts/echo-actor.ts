/**
 * The demo domain's echo service as a module for `npm start` to place by path
 * (a replica on every host); the actor itself is runtime/actor/echo-actor.ts.
 */
// biome-ignore lint/performance/noBarrelFile: a module a worker loads by path, not a barrel
export { echoActor } from '../runtime/index.ts'
