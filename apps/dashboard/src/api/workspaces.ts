import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client";

/** The workspaces the caller can see. */
export function useWorkspaces() {
  return useQuery({ queryKey: ["workspaces"], queryFn: () => unwrap(api.GET("/api/v1/workspaces")) });
}
