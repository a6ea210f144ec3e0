import { Link } from "react-router";

/** A dashboard address that names no page. */
export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page here. <Link to="/secrets">Go to the secrets</Link>.
      </p>
    </section>
  );
}
