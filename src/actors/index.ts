export { ACTORS } from './registry.js';
export { findActors, getActor, type ActorMatch } from './lookup.js';
