import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
      <h2 className="mb-1 text-lg font-medium">{title}</h2>
      {children ? <div className="text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}
