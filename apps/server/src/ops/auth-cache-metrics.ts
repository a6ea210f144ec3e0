import { Counter, Gauge, type Registry } from "prom-client";

/** What an authentication cache reports about itself: running totals and its size now. */
export interface AuthCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  size: number;
}

/**
 * `zs_auth_cache_{hits,misses,evictions}_total` and `zs_auth_cache_entries`, read from `stats`
 * at scrape time (`undefined`: the series stay at 0).
 */
export function authCacheMetrics(registry: Registry, stats: () => AuthCacheStats | undefined): void {
  const total = (name: string, help: string, stat: "hits" | "misses" | "evictions") =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats()?.[stat] ?? 0);
      },
    });
  total("zs_auth_cache_hits_total", "Authentications answered from the token cache.", "hits");
  total("zs_auth_cache_misses_total", "Authentications the token cache could not answer (the database was asked).", "misses");
  total("zs_auth_cache_evictions_total", "Entries evicted from the token cache (size limit or expiry).", "evictions");
  new Gauge({
    name: "zs_auth_cache_entries",
    help: "Entries in the token cache now.",
    registers: [registry],
    collect() {
      this.set(stats()?.size ?? 0);
    },
  });
}
