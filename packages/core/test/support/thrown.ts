import { ZsError } from "../../src/index.js";

/** The `ZsError` that `run` throws; fails the test if it throws nothing or something else. */
export function thrown(run: () => unknown): ZsError {
  try {
    run();
  } catch (error) {
    if (error instanceof ZsError) return error;
    throw error;
  }
  throw new Error("expected a ZsError");
}

/** The `ZsError` that `promise` rejects with; fails the test otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ZsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ZsError) return error;
    throw error;
  }
  throw new Error("expected a ZsError");
}
