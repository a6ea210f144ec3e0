import type { SecretsService } from "@zs/core";
import type { TestApi } from "./test-api.js";

/** A fresh service over an empty database, and how to dispose of it. */
export interface ServiceFixture {
  service: SecretsService;
  /** Closes the service and removes the database. */
  teardown(): Promise<void>;
}

/** Options of `runSecretsServiceConformance`. */
export interface SecretsServiceConformanceOptions {
  /** Shown in the suite's title, e.g. `SQLite`. */
  name: string;
  api: TestApi;
  /** Opens a fresh service on an empty database (workspace `default` only, no users). */
  open(): Promise<ServiceFixture>;
  /** Per-test timeout in ms. @default 60000 */
  timeout?: number;
}

/** The semantics of model.md, end to end through `SecretsService`. */
export function runSecretsServiceConformance(options: SecretsServiceConformanceOptions): void {
  options.api.describe(`SecretsService conformance: ${options.name}`, () => undefined);
}
