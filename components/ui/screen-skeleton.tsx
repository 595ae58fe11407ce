// Placeholder with the shape of a floor screen, so the page does not jump when it arrives.
export function ScreenSkeleton({ label }: { label: string }) {
  return (
    <div className="mx-auto max-w-5xl space-y-4" aria-busy="true" aria-label={`Loading ${label}`}>
      <div className="h-12 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-44 animate-pulse rounded-xl border border-slate-200 bg-white" />
      <div className="h-40 animate-pulse rounded-xl border border-slate-200 bg-white" />
    </div>
  );
}
