import { VigilError } from '../core/errors.js';

/** A user name: 2 to 64 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit. */
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The user name in its stored (lower-case, trimmed) form; a VigilError('bad_input') naming the field otherwise. */
export function checkedUserName(name: string, field = 'name'): string {
  const folded = name.trim().toLowerCase();
  if (!USER_NAME.test(folded)) {
    throw new VigilError('bad_input', `"${name}" is not a user name: use 2 to 64 letters, digits, dots, underscores or hyphens`, {
      location: { field },
    });
  }
  return folded;
}
