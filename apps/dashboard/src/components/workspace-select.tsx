import { useWorkspaces } from "../api/workspaces";
import { SelectInput, type Choice } from "./select-input";

/** A drop-down of the workspaces the caller can see. */
export function WorkspaceSelect({ value, onChange }: { value: string; onChange(workspace: string): void }) {
  const workspaces = useWorkspaces();
  const choices: Choice<string>[] = (workspaces.data ?? []).map((workspace) => ({ id: workspace.name, label: workspace.name }));
  if (!choices.some((choice) => choice.id === value)) choices.push({ id: value, label: value });
  return <SelectInput label="Workspace" choices={choices} value={value} onChange={onChange} />;
}
