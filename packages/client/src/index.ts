export { Client, type ApiKey, type ClientOptions, type ClientStatus, type ClientUpdate, type ConnectCredentials, type CreateOptions } from "./client.js";
export { zsConfigDir, zsHome } from "./zs-paths.js";
export { LOCAL_USER } from "./local-store.js";
export { ZsError, isZsError, type Lookup, type Page, type Scope, type Secret, type SecretMetadata, type SecretQuery, type User } from "@zs/core";
