export { ACTORS } from './registry.js';
export { findActors, getActor, longestFirst, type ActorMatch } from './lookup.js';
