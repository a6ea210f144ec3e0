/** The user local mode acts as: an admin, since the store is the person's own. */
export const LOCAL_USER = "default";
