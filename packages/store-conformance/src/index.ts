export type { BasicMatchers, ExpectFunction, Matchers, TestApi } from "./test-api.js";
export { runValuesStoreConformance, type ValuesStoreConformanceOptions } from "./values-store-conformance.js";
export {
  runSecretsServiceConformance,
  type SecretsServiceConformanceOptions,
  type ServiceFixture,
} from "./secrets-service-conformance.js";
export { sharedBackend, type ClosableBackend, type SharedBackend } from "./shared-backend.js";
export { traceSdkLoading, type SdkLoadingProbe, type SdkLoadingTrace } from "./sdk-loading.js";
