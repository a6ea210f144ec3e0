import type { SecretUsages } from "../api/types";

/** "Components reference this secret": shown before a rename or delete that would break them. */
export function UsageWarning({ usages, consequence }: { usages: SecretUsages["usages"] | undefined; consequence: string }) {
  if (!usages || usages.length === 0) return null;
  return (
    <div className="alert" role="status">
      <p>
        {usages.length === 1 ? "A component attribute references" : `${usages.length} component attributes reference`} this secret; {consequence}
      </p>
      <ul>
        {usages.map((usage) => (
          <li key={`${usage.component}/${usage.attribute}`}>
            <span className="mono">
              {usage.component}.{usage.attribute}
            </span>{" "}
            uses <span className="mono">{usage.reference}</span>
            {usage.stacks.length > 0 ? ` (stacks: ${usage.stacks.join(", ")})` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
