import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Server as HttpsServer } from "node:https";

/** How a drain ended. */
export interface DrainOutcome {
  /** False when the timeout cut requests that were still running. */
  finished: boolean;
}

/**
 * Tracks a listener's open responses so a shutdown can drain it (operations.md): once
 * `drain` is called the listener accepts no connection, every response — those running and
 * those a keep-alive connection still sends — goes out with `Connection: close`, so each
 * connection ends after its current response instead of being reset, and idle ones close at
 * once. Requests still running after `timeoutMs` have their connections cut.
 */
export class ConnectionDraining {
  private readonly open = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: HttpServer | HttpsServer) {
    // Before the application's own listener, so the header is set before any response starts.
    server.prependListener("request", (_request: IncomingMessage, response: ServerResponse) => {
      if (this.draining) closeAfter(response);
      this.open.add(response);
      response.once("close", () => {
        this.open.delete(response);
        // A response whose headers were out before the drain began leaves its connection idle, not closed.
        if (this.draining) setImmediate(() => this.server.closeIdleConnections());
      });
    });
  }

  /** Responses under way. */
  get inFlight(): number {
    return this.open.size;
  }

  drain(timeoutMs: number): Promise<DrainOutcome> {
    this.draining = true;
    for (const response of this.open) closeAfter(response);
    return new Promise<DrainOutcome>((resolve) => {
      const cut = setTimeout(() => {
        this.server.closeAllConnections();
        resolve({ finished: false });
      }, timeoutMs);
      this.server.close(() => {
        clearTimeout(cut);
        resolve({ finished: true });
      });
      this.server.closeIdleConnections();
    });
  }
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader("Connection", "close");
}
