/**
 * Spaces calls out to at most `perSecond` a second, in the order they ask: Secrets Manager's
 * write APIs allow 50 a second per region and account (its quotas page), and a migration or an
 * import would otherwise spend its time on throttling and retries.
 */
export class WriteRateLimit {
  private nextFree = 0;

  constructor(private readonly perSecond: number) {}

  /** Resolves when the caller may make its call. */
  async acquire(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextFree);
    this.nextFree = slot + 1000 / this.perSecond;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
