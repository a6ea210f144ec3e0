/** The longest piece of a caller's input an error message quotes. */
export const MAX_QUOTED_LENGTH = 80;

/**
 * `value` as an error message may quote it: cut to `MAX_QUOTED_LENGTH` characters with `…`,
 * so a huge name or key in a request cannot make a huge error.
 */
export function inputExcerpt(value: string): string {
  return value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
}
