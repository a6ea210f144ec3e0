import type { SecretsService } from "@zs/core";
import type { TestApi } from "./test-api.js";
import { ServiceGroup } from "./service-suite/service-group.js";
import type { SuiteContext } from "./service-suite/suite-context.js";
import { describeCreateGetListAndDelete } from "./service-suite/crud.js";
import { describeMergeOnUpdate } from "./service-suite/merge-on-update.js";
import { describeVersionChecks } from "./service-suite/version-checks.js";
import { describeUniqueness } from "./service-suite/uniqueness.js";
import { describeUserScopedSecretsArePrivate } from "./service-suite/privacy.js";
import { describeLookupByNameOrId } from "./service-suite/lookup.js";
import { describeScopeChanges } from "./service-suite/scope-changes.js";
import { describeListFilters } from "./service-suite/list-filters.js";
import { describeDateFilters } from "./service-suite/date-filters.js";
import { describeSortingAndPaging } from "./service-suite/sorting-and-paging.js";
import { describePagination } from "./service-suite/pagination.js";
import { describeSizeLimits } from "./service-suite/size-limits.js";
import { describeValidation } from "./service-suite/validation.js";
import { describeWorkspaces } from "./service-suite/workspaces.js";
import { describeUsers } from "./service-suite/users.js";
import { describeConcurrency } from "./service-suite/concurrency.js";
import { describeSecretValuesNeverAppearInErrors } from "./service-suite/no-value-in-errors.js";

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

/**
 * The semantics of model.md, end to end through `SecretsService`: one `describe` per topic,
 * each on a fresh service from `options.open()`.
 */
export function runSecretsServiceConformance(options: SecretsServiceConformanceOptions): void {
  const { api, timeout = 60000 } = options;
  const { describe, it, expect, beforeAll, afterAll } = api;
  const test = (title: string, body: () => Promise<void>) => it(title, body, timeout);

  function serviceGroup(): ServiceGroup {
    const group = new ServiceGroup(expect);
    let fixture: ServiceFixture | undefined;
    beforeAll(async () => {
      fixture = await options.open();
      group.service = fixture.service;
      group.alice = group.as(await fixture.service.ensureUser("alice"));
      group.bob = group.as(await fixture.service.ensureUser("bob"));
      group.root = group.as(await fixture.service.ensureUser("root", { isAdmin: true }));
    }, timeout);
    afterAll(async () => {
      await fixture?.teardown();
    }, timeout);
    return group;
  }

  function leakCheck(group: ServiceGroup): void {
    test("no error provoked in this group quotes a secret value", async () => {
      expect(group.leaks()).toEqual([]);
    });
  }

  const context: SuiteContext = {
    describe,
    test,
    expect,
    beforeAll: (body) => beforeAll(body, timeout),
    serviceGroup,
    leakCheck,
  };
  describe(`SecretsService conformance: ${options.name}`, () => {
    describeCreateGetListAndDelete(context);
    describeMergeOnUpdate(context);
    describeVersionChecks(context);
    describeUniqueness(context);
    describeUserScopedSecretsArePrivate(context);
    describeLookupByNameOrId(context);
    describeScopeChanges(context);
    describeListFilters(context);
    describeDateFilters(context);
    describeSortingAndPaging(context);
    describePagination(context);
    describeSizeLimits(context);
    describeValidation(context);
    describeWorkspaces(context);
    describeUsers(context);
    describeConcurrency(context);
    describeSecretValuesNeverAppearInErrors(context);
  });
}
