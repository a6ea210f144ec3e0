import { request, type HttpResult, type RequestOptions } from "./http-client.js";

/** The first admin's password in tests (never a fixed default in the product: it comes from ZS_ADMIN_PASSWORD). */
export const ADMIN_PASSWORD = "admin-password-for-tests";

/**
 * A running zs server as a test drives it, in this process or as a process of the bundled
 * binary: requests over a real socket, with every credential and secret value the test
 * handled remembered, so the test can check the server's logs never contained any.
 */
export abstract class ServerUnderTest {
  readonly sensitive = new Set<string>([ADMIN_PASSWORD]);

  abstract get url(): string;

  /** Everything the server logged (and printed) so far. */
  abstract get logs(): string;

  abstract stop(): Promise<void>;

  /** A request; string values of `values` and `password` fields in the body are remembered as sensitive. */
  async call(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    this.remember(options.body);
    if (options.token) this.sensitive.add(options.token);
    const result = await request(this.url, method, path, options);
    this.remember(result.json);
    return result;
  }

  /** Logs in; the token. */
  async login(username: string, password: string): Promise<string> {
    const result = await this.call("POST", "/api/v1/login", { body: { username, password } });
    if (result.status !== 200) throw new Error(`login as ${username} failed: ${result.status} ${result.text}`);
    return result.json.access_token as string;
  }

  /** Creates a user (as `adminToken`) and logs them in; their token. */
  async createUser(adminToken: string, name: string, options: { isAdmin?: boolean } = {}): Promise<string> {
    const password = `password-of-${name}-${Math.random().toString(36).slice(2)}`;
    const created = await this.call("POST", "/api/v1/users", { token: adminToken, body: { name, password, is_admin: options.isAdmin ?? false } });
    if (created.status !== 201) throw new Error(`creating user ${name} failed: ${created.status} ${created.text}`);
    return this.login(name, password);
  }

  /** The sensitive strings that appear in the captured logs (should be none). */
  leakedIntoLogs(): string[] {
    const logs = this.logs;
    return [...this.sensitive].filter((value) => value.length >= 6 && logs.includes(value));
  }

  private remember(body: unknown): void {
    if (typeof body !== "object" || body === null) return;
    for (const [key, value] of Object.entries(body)) {
      if ((key === "password" || key === "access_token" || key === "key") && typeof value === "string") this.sensitive.add(value);
      else if (key === "values" && typeof value === "object" && value !== null) {
        for (const item of Object.values(value)) if (typeof item === "string") this.sensitive.add(item);
      } else if (typeof value === "object") this.remember(value);
    }
  }
}
