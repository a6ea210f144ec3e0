import { open, type FileHandle } from "node:fs/promises";
import type { ChainedAuditEvent } from "./audit-event.js";
import type { AuditSink } from "./audit-log-repository.js";

/**
 * `ZS_AUDIT_FILE`: every event as one line of JSON, appended and fsynced per batch, for log
 * shippers. The file is created owner-only (0600). A failed write closes the file, so the
 * next batch opens it again (after a log rotation, say).
 */
export class JsonLinesAuditSink implements AuditSink {
  readonly name: string;
  private handle: Promise<FileHandle> | undefined;

  constructor(private readonly file: string) {
    this.name = `file:${file}`;
  }

  async write(events: readonly ChainedAuditEvent[]): Promise<void> {
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join("");
    try {
      this.handle ??= open(this.file, "a", 0o600);
      const handle = await this.handle;
      await handle.appendFile(text, "utf8");
      await handle.datasync();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}
