import type { ReactNode } from 'react';

/** Placeholder for a page whose content is not written yet. */
export function NotBuilt({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="page">
      <h1>{title}</h1>
      <div className="not-built">
        <p>
          <strong>Not built yet.</strong> This page is a placeholder.
        </p>
        {children}
      </div>
    </section>
  );
}
