/** A server time (ISO-8601 UTC), shown in the reader's locale with the exact time on hover. */
export function TimeText({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {new Date(iso).toLocaleString()}
    </time>
  );
}
