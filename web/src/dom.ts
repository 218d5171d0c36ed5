/** A child accepted by {@link el}: nodes as they are, strings as text, nothing for falsy values. */
export type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element with attributes and children. Strings always become text nodes, so data
 * from reports can never turn into markup; attribute names must be literals of our own code.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | undefined>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  append(element, ...children);
  return element;
}

/** Appends children to a node, strings and numbers as text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Removes every child of a node. */
export function clear(node: Node): void {
  while (node.firstChild !== null) node.removeChild(node.firstChild);
}

/**
 * The URL as a string when it is an absolute http(s) URL, otherwise null: links taken from reports
 * must never run script (`javascript:`) or point at local data.
 */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Finds a required element by id, failing loudly when the page is not the one this code expects. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no <${type.name}> with id "${id}"`);
  return element;
}
