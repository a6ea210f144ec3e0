import { randomUUID } from "node:crypto";
import {
  AUDIT_ACTIONS,
  isZsError,
  referencedKeys,
  type AuditDetail,
  type AuditRecorder,
  type AuditTarget,
  type Caller,
  type ComponentsService,
  type Secret,
  type SecretMetadata,
  type SecretsService,
} from "@zs/core";
import type { ComponentsApi } from "./components-api.js";
import type { SecretsApi } from "./secrets-api.js";

/** What an audited local call adds to its event once it succeeded. */
interface Outcome {
  target?: Partial<AuditTarget>;
  details?: Record<string, AuditDetail>;
}

/**
 * Runs `work` as `caller` and records its event (actor `local`), in `required` mode before
 * its result is returned: a command whose event cannot be written fails with
 * `AUDIT_UNAVAILABLE` and shows nothing.
 */
export type LocalAuditor = <T>(caller: Caller, action: string, target: AuditTarget, work: () => Promise<T>, describe?: (result: T) => Outcome) => Promise<T>;

export function localAuditor(recorder: AuditRecorder): LocalAuditor {
  return async (caller, action, target, work, describe) => {
    const event = (outcome: "ok" | "denied" | "error", extra: Outcome, error?: unknown) => ({
      actor: { user_id: caller.userId, user_name: caller.userName, via: "local" as const },
      action,
      target: { ...target, ...extra.target },
      outcome,
      error_code: error === undefined ? undefined : isZsError(error) ? error.code : "INTERNAL",
      request_id: randomUUID(),
      client_ip: null,
      user_agent: null,
      details: extra.details ?? {},
    });
    let result: Awaited<ReturnType<typeof work>>;
    recorder.assertAvailable();
    try {
      result = await work();
    } catch (error) {
      const code: string | undefined = isZsError(error) ? error.code : undefined;
      await recorder.record(event(code === "FORBIDDEN" || code === "UNAUTHENTICATED" ? "denied" : "error", {}, error));
      throw error;
    }
    await recorder.record(event("ok", describe?.(result) ?? {}));
    return result;
  };
}

function secretOutcome(secret: Secret | SecretMetadata): Outcome {
  return {
    target: { id: secret.id, name: secret.name, workspace: secret.workspace },
    details: { scope: secret.scope, keys: [...secret.keys], version: secret.version },
  };
}

function secretTarget(caller: Caller, name: string | null, workspace?: string): AuditTarget {
  return { type: "secret", id: null, name, workspace: workspace ?? caller.workspace };
}


/** Local mode's services with the security-relevant calls recorded, as the server records its routes. */
export function auditedLocalApis(service: SecretsService, components: ComponentsService, audit: LocalAuditor): { api: SecretsApi; components: ComponentsApi } {
  const api: SecretsApi = {
    createSecret: (caller, input) =>
      audit(caller, AUDIT_ACTIONS.secretCreate, secretTarget(caller, input.name, input.workspace), () => service.createSecret(caller, input), secretOutcome),
    getSecret: (caller, nameOrId, lookup) =>
      audit(caller, AUDIT_ACTIONS.secretRead, secretTarget(caller, nameOrId, lookup?.workspace), () => service.getSecret(caller, nameOrId, lookup), secretOutcome),
    findSecret: (caller, nameOrId, lookup) => service.findSecret(caller, nameOrId, lookup),
    listSecrets: (caller, query) =>
      audit(caller, AUDIT_ACTIONS.secretList, secretTarget(caller, null, query?.workspace), () => service.listSecrets(caller, query), (page) => ({
        details: { page: page.index, returned: page.items.length, total: page.total },
      })),
    updateSecret: (caller, nameOrId, update, lookup, options) => {
      const entries = Object.entries(update.values ?? {});
      const keyDetails = {
        keys_set: entries.filter(([, value]) => value !== null).map(([key]) => key).sort(),
        keys_removed: entries.filter(([, value]) => value === null).map(([key]) => key).sort(),
      };
      const action = update.name !== undefined ? AUDIT_ACTIONS.secretRename : AUDIT_ACTIONS.secretUpdate;
      return audit(caller, action, secretTarget(caller, nameOrId, lookup?.workspace), () => service.updateSecret(caller, nameOrId, update, lookup, options), (secret) => {
        const outcome = secretOutcome(secret);
        return { ...outcome, details: { ...outcome.details, ...keyDetails } };
      });
    },
    replaceSecretValues: (caller, nameOrId, values, lookup) =>
      audit(caller, AUDIT_ACTIONS.secretUpdate, secretTarget(caller, nameOrId, lookup?.workspace), () => service.replaceSecretValues(caller, nameOrId, values, lookup), (secret) => {
        const outcome = secretOutcome(secret);
        return { ...outcome, details: { ...outcome.details, keys_replaced: Object.keys(values).sort() } };
      }),
    deleteSecret: (caller, nameOrId, lookup, options) =>
      audit(
        caller,
        options?.purge ? AUDIT_ACTIONS.secretPurge : AUDIT_ACTIONS.secretDelete,
        secretTarget(caller, nameOrId, lookup?.workspace),
        () => service.deleteSecret(caller, nameOrId, lookup, options),
        (deletion) => ({ target: { id: deletion.id, name: deletion.name }, details: { purged: deletion.purged } }),
      ),
    recoverSecret: (caller, nameOrId, request, lookup) =>
      audit(caller, AUDIT_ACTIONS.secretRecover, secretTarget(caller, nameOrId, lookup?.workspace), () => service.recoverSecret(caller, nameOrId, request, lookup), secretOutcome),
    secretUsages: (caller, secretId, lookup) => service.secretUsages(caller, secretId, lookup),
    listSecretHistory: (caller, nameOrId, query, lookup) =>
      audit(caller, AUDIT_ACTIONS.secretHistoryRead, secretTarget(caller, nameOrId, lookup?.workspace), () => service.listSecretHistory(caller, nameOrId, query, lookup), (page) => ({
        details: { page: page.index, returned: page.items.length },
      })),
    getSecretVersion: (caller, nameOrId, version, lookup) =>
      audit(caller, AUDIT_ACTIONS.secretVersionRead, secretTarget(caller, nameOrId, lookup?.workspace), () => service.getSecretVersion(caller, nameOrId, version, lookup), (read) => ({
        target: { id: read.id, name: read.name },
        details: { version: read.version, current_version: read.currentVersion, keys: read.keys },
      })),
    rollbackSecret: (caller, nameOrId, request, lookup) =>
      audit(caller, AUDIT_ACTIONS.secretRollback, secretTarget(caller, nameOrId, lookup?.workspace), () => service.rollbackSecret(caller, nameOrId, request, lookup), (secret) => {
        const outcome = secretOutcome(secret);
        return { ...outcome, details: { ...outcome.details, restored_version: request.version } };
      }),
    listWorkspaces: (caller) => service.listWorkspaces(caller),
    createWorkspace: (caller, input) =>
      audit(caller, AUDIT_ACTIONS.workspaceCreate, { type: "workspace", id: null, name: input.name, workspace: null }, () => service.createWorkspace(caller, input), (workspace) => ({
        target: { id: workspace.id },
      })),
    deleteWorkspace: (caller, name) =>
      audit(caller, AUDIT_ACTIONS.workspaceDelete, { type: "workspace", id: null, name, workspace: null }, () => service.deleteWorkspace(caller, name)),
    listUsers: (caller) => service.listUsers(caller),
    deleteUser: (caller, name, options) =>
      audit(caller, AUDIT_ACTIONS.userDelete, { type: "user", id: null, name, workspace: null }, () => service.deleteUser(caller, name, options), () => ({
        details: { cascade: options?.cascade ?? false },
      })),
  };
  const resolveTarget = (caller: Caller, type: string, name: string | null, workspace?: string): AuditTarget => ({ type, id: null, name, workspace: workspace ?? caller.workspace });
  const audited: ComponentsApi = {
    registerComponent: (caller, input) => components.registerComponent(caller, input),
    getComponent: (caller, name, lookup) => components.getComponent(caller, name, lookup),
    listComponents: (caller, lookup) => components.listComponents(caller, lookup),
    updateComponent: (caller, name, input, lookup) => components.updateComponent(caller, name, input, lookup),
    deleteComponent: (caller, name, lookup) => components.deleteComponent(caller, name, lookup),
    registerStack: (caller, input) => components.registerStack(caller, input),
    getStack: (caller, name, lookup) => components.getStack(caller, name, lookup),
    listStacks: (caller, lookup) => components.listStacks(caller, lookup),
    deleteStack: (caller, name, lookup) => components.deleteStack(caller, name, lookup),
    validateStack: (caller, name, level, lookup) => components.validateStack(caller, name, level, lookup),
    resolve: (caller, text, lookup) =>
      audit(caller, AUDIT_ACTIONS.referenceResolve, resolveTarget(caller, "references", null, lookup?.workspace), () => components.resolve(caller, text, lookup), () => ({
        details: { references: referencedKeys([text]) },
      })),
    resolveTexts: (caller, texts, lookup) =>
      audit(caller, AUDIT_ACTIONS.referenceResolve, resolveTarget(caller, "references", null, lookup?.workspace), () => components.resolveTexts(caller, texts, lookup), () => ({
        details: { references: referencedKeys(texts) },
      })),
    resolveComponent: (caller, name, lookup) =>
      audit(caller, AUDIT_ACTIONS.referenceResolve, resolveTarget(caller, "component", name, lookup?.workspace), async () => {
        const stored = await components.getComponent(caller, name, lookup);
        return { stored, resolved: await components.resolveComponent(caller, name, lookup) };
      }, ({ stored }) => ({ details: { references: referencedKeys(Object.values(stored.configuration)) } })).then(({ resolved }) => resolved),
    runEnvironment: (caller, input, level) =>
      audit(caller, AUDIT_ACTIONS.referenceResolve, resolveTarget(caller, "run", null), () => components.runEnvironment(caller, input, level), (environment) => ({
        details: { variables: Object.keys(environment).sort() },
      })),
  };
  return { api, components: audited };
}
