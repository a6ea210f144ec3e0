import type { ExpectFunction, TestApi } from "../test-api.js";
import type { ServiceGroup } from "./service-group.js";

/** What every topic of the service suite is given. */
export interface SuiteContext {
  describe: TestApi["describe"];
  /** `it` with the suite's timeout. */
  test(title: string, body: () => Promise<void>): void;
  expect: ExpectFunction;
  /** `beforeAll` with the suite's timeout. */
  beforeAll(body: () => Promise<void>): void;
  /** Registers a block's fixture hooks (a fresh service, users alice, bob and admin root); call first inside a `describe`. */
  serviceGroup(): ServiceGroup;
  /** The closing test of a block: no error it provoked quotes a value it wrote. */
  leakCheck(group: ServiceGroup): void;
}
