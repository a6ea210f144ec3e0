import { inspect } from "node:util";
import {
  LIMITS,
  isZsError,
  type Caller,
  type ErrorCode,
  type Secret,
  type SecretCreate,
  type SecretQuery,
  type SecretsService,
  type User,
  type ZsError,
} from "@zs/core";
import type { ExpectFunction } from "../test-api.js";
import { token } from "./fixtures.js";

/** Every place an error could carry text: message, stack, details, cause (util.inspect shows all). */
function errorText(error: ZsError): string {
  return [error.message, String(error.stack), JSON.stringify(error.details ?? {}), inspect(error, { depth: 5 })].join("\n");
}

/**
 * One describe block's world: a fresh service opened in `beforeAll` and torn down in
 * `afterAll`, three users, and a record of every error provoked and every value written,
 * for the block's closing leak check.
 */
export class ServiceGroup {
  service!: SecretsService;
  alice!: Caller;
  bob!: Caller;
  root!: Caller;
  /** Every `ZsError` a test of the block provoked through `fail`. */
  readonly errors: ZsError[] = [];
  /** Every distinctive value written through `value`. */
  readonly values: string[] = [];

  constructor(private readonly expect: ExpectFunction) {}

  /** A caller acting as `user`, in `workspace`. */
  as(user: User, workspace = "default"): Caller {
    return { userId: user.id, userName: user.name, isAdmin: user.isAdmin, workspace };
  }

  /** The same caller with another active workspace. */
  inWorkspace(caller: Caller, workspace: string): Caller {
    return { ...caller, workspace };
  }

  /** A random, valid secret name. */
  name(prefix = "s"): string {
    return `${prefix}-${token()}`;
  }

  /** A distinctive secret value, remembered for the leak check. */
  value(label = "val"): string {
    const value = `${label}-${token()}${token()}`;
    this.values.push(value);
    return value;
  }

  /** Creates a workspace-scoped secret (unless `extra` says otherwise) with one distinctive value. */
  create(caller: Caller, name: string, extra: Partial<SecretCreate> = {}): Promise<Secret> {
    return this.service.createSecret(caller, { name, values: { k: this.value() }, ...extra });
  }

  /** Awaits a rejection, asserts it is a `ZsError` with `code`, records and returns it. */
  async fail(operation: Promise<unknown>, code: ErrorCode): Promise<ZsError> {
    let outcome: unknown = undefined;
    let rejected = false;
    try {
      outcome = await operation;
    } catch (error) {
      rejected = true;
      outcome = error;
    }
    if (rejected && isZsError(outcome)) {
      this.errors.push(outcome);
      this.expect({ code: outcome.code, message: outcome.message }).toMatchObject({ code });
      return outcome;
    }
    this.expect({ code: rejected ? `non-ZsError: ${String(outcome)}` : "(it succeeded)" }).toMatchObject({ code });
    throw new Error("unreachable");
  }

  /** Names of a list, sorted, after checking `total` agrees with the items. */
  async listNames(caller: Caller, query: SecretQuery = {}): Promise<string[]> {
    const page = await this.service.listSecrets(caller, { size: LIMITS.maxPageSize, ...query });
    this.expect(page.total).toBe(page.items.length);
    return page.items.map((item) => item.name).sort();
  }

  /** Every secret value recorded that appears in some recorded error's text. */
  leaks(extraValues: string[] = []): string[] {
    const found: string[] = [];
    for (const error of this.errors) {
      const text = errorText(error);
      for (const value of [...this.values, ...extraValues]) {
        if (text.includes(value)) found.push(`${error.code} error quotes a secret value`);
      }
    }
    return found;
  }
}
