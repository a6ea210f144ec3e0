/**
 * The parts of a test runner the suites use, passed in by the caller so a store's authors can
 * run them under jest, vitest, mocha + an expect library, or node's runner with an adapter.
 */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  expect: ExpectFunction;
  beforeAll(body: () => Promise<void> | void, timeout?: number): void;
  afterAll(body: () => Promise<void> | void, timeout?: number): void;
}

/** The jest/vitest-style `expect` subset the suites call. */
export type ExpectFunction = (actual: unknown) => Matchers;

/** The assertions the suites make, also negated through `not`. */
export interface BasicMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeUndefined(): void;
  toHaveLength(length: number): void;
  toContain(item: unknown): void;
  toMatch(pattern: RegExp | string): void;
  toBeGreaterThan(n: number): void;
  toBeLessThan(n: number): void;
  toMatchObject(expected: unknown): void;
}

export interface Matchers extends BasicMatchers {
  // Not `Matchers`: jest's and vitest's `not` cannot be negated again, and the suites never do.
  not: BasicMatchers;
  rejects: { toMatchObject(expected: unknown): Promise<void>; toThrow(expected?: unknown): Promise<void> };
  resolves: { toBeUndefined(): Promise<void>; toEqual(expected: unknown): Promise<void> };
}
