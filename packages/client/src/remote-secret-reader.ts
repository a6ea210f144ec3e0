import { ALL_WORKSPACES, type SecretMetadata, type SecretReader } from "@zs/core";
import type { QueryParameters, RemoteHttp } from "./remote-http.js";

/**
 * The secret lookups of `@zs/core`'s `findSecret` over a server's list route, which answers
 * metadata only: a secret is found (for a lookup, a validation, a key check) without the
 * server reading any value. Visibility is the server's: `viewerId` is always the token's user.
 */
export class RemoteSecretReader implements SecretReader {
  constructor(private readonly http: RemoteHttp) {}

  async findSecretById(_viewerId: string, id: string): Promise<SecretMetadata | undefined> {
    return (await this.list({ id: `equals:${id}`, workspace: ALL_WORKSPACES, size: 1 }))[0];
  }

  findSecretsByName(_viewerId: string, workspace: string | undefined, name: string): Promise<SecretMetadata[]> {
    // In one workspace at most one per scope: the caller's user-scoped one and the workspace's.
    if (workspace !== undefined) return this.list({ name: `equals:${name}`, workspace: `equals:${workspace}`, size: 2 });
    // In all, two workspaces' worth tell lookup the name is ambiguous.
    return this.list({ name: `equals:${name}`, workspace: ALL_WORKSPACES, size: 4 });
  }

  findSecretsByIdPrefix(_viewerId: string, workspace: string | undefined, prefix: string, limit: number): Promise<SecretMetadata[]> {
    return this.list({ id: `startswith:${prefix}`, workspace: workspace === undefined ? ALL_WORKSPACES : `equals:${workspace}`, size: limit });
  }

  private async list(query: QueryParameters): Promise<SecretMetadata[]> {
    const { items } = (await this.http.request("GET", "/api/v1/secrets", { query })).body as { items: Array<SecretMetadata & { updated_by: unknown }> };
    return items.map(({ updated_by: _updatedBy, ...metadata }) => metadata);
  }
}
