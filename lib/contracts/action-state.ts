// The form state every server action returns, importable by client components.
export type FieldErrors = Record<string, string[]>;

export type ActionState<T = unknown> = {
  status: 'idle' | 'ok' | 'error';
  message?: string;
  fieldErrors?: FieldErrors;
  data?: T;
  at?: number;
};

export const idle: ActionState = { status: 'idle' };
