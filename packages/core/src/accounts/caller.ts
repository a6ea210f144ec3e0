/**
 * Who is asking. Privacy of user-scoped secrets and admin-only operations are decided from
 * this, inside `SecretsService`, never in the apps.
 */
export interface Caller {
  userId: string;
  userName: string;
  isAdmin: boolean;
  /** The active workspace: where names are looked up and secrets created by default. */
  workspace: string;
}
