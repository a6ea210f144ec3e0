export type { BasicMatchers, ExpectFunction, Matchers, TestApi } from "./test-api.js";
export {
  runValuesStoreConformance,
  type ClosableBackend,
  type ValuesStoreConformanceOptions,
} from "./values-store-conformance.js";
export {
  runSecretsServiceConformance,
  type SecretsServiceConformanceOptions,
  type ServiceFixture,
} from "./secrets-service-conformance.js";
export { traceSdkLoading, type SdkLoadingProbe, type SdkLoadingTrace } from "./sdk-loading.js";
