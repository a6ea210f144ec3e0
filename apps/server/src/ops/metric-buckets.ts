/**
 * Histogram buckets in seconds for request and store call durations: prom-client's defaults
 * (5 ms to 10 s) with 1 ms and 2.5 ms below, where a cached GET on SQLite lands.
 */
export const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
