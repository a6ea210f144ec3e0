import type { RequestHandler } from "express";
import { ZsError } from "@zs/core";

/**
 * The `Allow` value of a path taking `methods` (lower case, as routes declare them): a GET
 * route answers HEAD too (express does so itself).
 */
export function allowHeader(methods: readonly string[]): string {
  const allowed = methods.map((method) => method.toUpperCase());
  if (allowed.includes("GET") && !allowed.includes("HEAD")) allowed.push("HEAD");
  return [...new Set(allowed)].join(", ");
}

/**
 * The handler of a known path for every method its routes do not take (mounted after them):
 * `METHOD_NOT_ALLOWED` (405) with `Allow` naming those that it does (RFC 9110 §15.5.6).
 */
export function methodNotAllowed(methods: readonly string[]): RequestHandler {
  const allow = allowHeader(methods);
  return (request, response) => {
    response.setHeader("Allow", allow);
    throw new ZsError("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${request.path}; use ${allow}.`);
  };
}
