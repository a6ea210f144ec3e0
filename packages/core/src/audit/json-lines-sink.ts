import { open, stat, type FileHandle } from "node:fs/promises";
import type { ChainedAuditEvent } from "./audit-event.js";
import type { AuditSink } from "./audit-log-repository.js";

/**
 * `ZS_AUDIT_FILE`: every event as one line of JSON, appended and fsynced per batch, for log
 * shippers. The file is created owner-only (0600). Before each batch the path is checked
 * against the open file: a file moved away (log rotation) or replaced is opened anew, so
 * events go where the path points; a path that cannot be written fails the batch.
 */
export class JsonLinesAuditSink implements AuditSink {
  readonly name: string;
  private opened: { handle: FileHandle; dev: number; ino: number } | undefined;

  constructor(private readonly file: string) {
    this.name = `file:${file}`;
  }

  async write(events: readonly ChainedAuditEvent[]): Promise<void> {
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join("");
    try {
      const handle = await this.currentHandle();
      await handle.appendFile(text, "utf8");
      await handle.datasync();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  /** Opens the file for appending (as the next batch would), writing nothing. */
  async check(): Promise<void> {
    try {
      await this.currentHandle();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    await opened?.handle.close();
  }

  private async currentHandle(): Promise<FileHandle> {
    if (this.opened) {
      const current = await stat(this.file).catch(() => undefined);
      if (current && current.dev === this.opened.dev && current.ino === this.opened.ino) return this.opened.handle;
      await this.close();
    }
    const handle = await open(this.file, "a", 0o600);
    const { dev, ino } = await handle.stat();
    this.opened = { handle, dev, ino };
    return handle;
  }
}
