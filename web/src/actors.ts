import type { Actor } from '../../src/core/model.js';
import { ACTORS } from '../../src/actors/registry.js';

/**
 * The actor registry as the browser sees it: bundled at build time from src/actors/registry.ts,
 * so the filter tree and the actor colours need no request and stay in step with the server.
 */
export interface ActorNode {
  actor: Actor;
  depth: number;
  children: ActorNode[];
}

const byId = new Map<string, Actor>(ACTORS.map((actor) => [actor.id, actor]));

function childrenOf(parentId: string | null, depth: number): ActorNode[] {
  return ACTORS.filter((actor) => (actor.parentId ?? null) === parentId)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((actor) => ({ actor, depth, children: childrenOf(actor.id, depth + 1) }));
}

/** The registry as a tree: groups, then their provinces, branches and sub-groups. */
export const ACTOR_TREE: readonly ActorNode[] = childrenOf(null, 0);

/** The tree flattened in display order, each with its depth. */
export function flatActorTree(nodes: readonly ActorNode[] = ACTOR_TREE): ActorNode[] {
  return nodes.flatMap((node) => [node, ...flatActorTree(node.children)]);
}

/** The name of an actor id, or the id itself when the registry does not know it. */
export function actorName(id: string): string {
  return byId.get(id)?.name ?? id;
}

/** True when the registry has the actor. */
export function isKnownActor(id: string): boolean {
  return byId.has(id);
}

/** The actor and every actor below it (provinces, branches, their sub-groups). */
export function actorFamily(id: string): Set<string> {
  const family = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const actor of ACTORS) {
      if (actor.parentId !== null && actor.parentId !== undefined && family.has(actor.parentId) && !family.has(actor.id)) {
        family.add(actor.id);
        grew = true;
      }
    }
  }
  return family;
}

/** The top of an actor's family (a province's group); the id itself for a top-level actor. */
export function topActor(id: string): string {
  let current = byId.get(id);
  const seen = new Set<string>();
  while (current?.parentId !== null && current?.parentId !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = byId.get(current.parentId);
    if (parent === undefined) break;
    current = parent;
  }
  return current?.id ?? id;
}

/** Distinct colours for the families most often seen, then a neutral grey for the rest. */
const FAMILY_COLOURS: ReadonlyArray<readonly [string, string]> = [
  ['islamic-state', '#1a1a1a'],
  ['al-qaeda', '#b2182b'],
  ['boko-haram', '#e08214'],
  ['taliban', '#2166ac'],
  ['ttp', '#5aae61'],
  ['houthis', '#762a83'],
  ['hamas', '#1b7837'],
  ['hts', '#8c510a'],
  ['pkk', '#c51b7d'],
  ['adf', '#01665e'],
];

/** The colour of incidents whose perpetrator is unknown or in no family above. */
export const OTHER_ACTOR_COLOUR = '#8a8a8a';

/** [family id, colour] pairs for the map and the legend. */
export const ACTOR_COLOURS: ReadonlyArray<readonly [string, string]> = FAMILY_COLOURS.filter(([id]) => byId.has(id));

/** The colour family of an incident: the top actor of its first resolved perpetrator, or "other". */
export function actorColourKey(actorIds: readonly string[]): string {
  const first = actorIds[0];
  if (first === undefined) return 'other';
  const top = topActor(first);
  return ACTOR_COLOURS.some(([id]) => id === top) ? top : 'other';
}
