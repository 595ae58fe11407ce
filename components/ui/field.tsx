import type { InputHTMLAttributes, ReactNode } from 'react';

type Props = InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; hint?: string };

// What ties a control to its error and hint for screen readers: their ids, derived from the control's.
export function fieldAria(id: string, errors?: string[], hint?: string) {
  const describedBy = [errors?.length ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return { 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': describedBy || undefined };
}

// A control's label above it, its hint and first error below it, under the ids fieldAria names.
export function FieldFrame({ id, label, errors, hint, className, children }: { id: string; label: string; errors?: string[]; hint?: string; className?: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

// A labelled input whose errors are tied to it for screen readers.
export function Field({ label, name, errors, hint, className, ...input }: Props) {
  const id = input.id ?? `f-${name}`;
  return (
    <FieldFrame id={id} label={label} errors={errors} hint={hint} className={className}>
      <input
        id={id}
        name={name}
        {...fieldAria(id, errors, hint)}
        className="block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm aria-invalid:border-red-500"
        {...input}
      />
    </FieldFrame>
  );
}
