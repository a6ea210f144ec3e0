import type { SecretsService } from "@zs/core";
import type { AuthService } from "./auth/auth-service.js";
import type { LoginThrottle } from "./auth/login-throttle.js";

/** What the routes work with. */
export interface ServerServices {
  secrets: SecretsService;
  auth: AuthService;
  loginThrottle: LoginThrottle;
  /** Throws when the database or the values store cannot be reached. */
  checkHealth(): Promise<void>;
  version: string;
  /** The values store's type and declared capabilities. */
  store: { type: string; capabilities: Record<string, unknown> };
}
