/** The roles a user can have, least to most privileged. */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` has at least the privileges of `minimum` (admin ⊇ analyst ⊇ viewer). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** Who a request acts as, once its credentials are checked. */
export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}
