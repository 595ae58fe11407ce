import type { SelectHTMLAttributes } from 'react';
import { FieldFrame, fieldAria } from './field';

type Props = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  errors?: string[];
  placeholder?: string;
};

// A labelled select whose errors are tied to it for screen readers, like Field.
export function SelectField({ label, name, options, errors, placeholder, className, ...select }: Props) {
  const id = select.id ?? `f-${name}`;
  return (
    <FieldFrame id={id} label={label} errors={errors} className={className}>
      <select
        id={id}
        name={name}
        {...fieldAria(id, errors)}
        className="block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base aria-invalid:border-red-500"
        {...select}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
