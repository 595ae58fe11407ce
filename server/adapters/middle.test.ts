// The shared middle on its own: input to field errors, and errors to the one problem shape or action state.
import { captureLogs } from '@/server/observability/log';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { InventoryError, NUL_MESSAGE } from '@/server/inventory/kernel/errors';
import { errorResponse, errorState, parseQuery, parseWith, Refusal } from './middle';

const refusalOf = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return e as InventoryError;
  }
  throw new Error('not refused');
};

describe('input', () => {
  const schema = z.object({ sku: z.string().min(1), qty: z.number() });

  it("names every bad field at once: zod's issues and each field carrying U+0000, even one the schema ignores", () => {
    const e = refusalOf(() => parseWith(schema, { sku: 'A\u0000', qty: 'x', note: '\u0000' }));
    expect(e).toBeInstanceOf(InventoryError);
    expect(e.details.fields).toEqual({ qty: [expect.any(String)], sku: [NUL_MESSAGE], note: [NUL_MESSAGE] });
    expect(e.message).toMatch(/^Invalid request: qty: .*; sku: must not contain/);
    expect(refusalOf(() => parseWith(schema, {}, 'Check the highlighted fields.')).message).toBe('Check the highlighted fields.');
  });

  it('walks a body nested deeper than the call stack without failing', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(refusalOf(() => parseWith(schema, deep)).details.fields).toEqual({ _: [expect.any(String)] });
  });

  it('reads a query string through wrappers: arrays where the schema has one, otherwise the first value', () => {
    const query = z.object({ sku: z.array(z.string()), limit: z.coerce.number() }).transform((q) => q);
    expect(parseQuery(query, new URL('http://x/?sku=A&sku=B&limit=2&limit=3'))).toEqual({ sku: ['A', 'B'], limit: 2 });
  });
});

describe('answers', () => {
  it('one failure, two adapters: the same public message as a problem and as a form state', async () => {
    const core = new InventoryError('insufficient_stock', 'Only 3 available.', { available: 3, fields: { qty: ['at most 3'] } });
    expect(await errorResponse(core, 'GET /x').json()).toEqual({
      type: 'https://onhand.dev/problems/insufficient_stock',
      title: 'Not enough stock',
      status: 409,
      detail: 'Only 3 available.',
      available: 3,
      errors: [{ field: 'qty', message: 'at most 3' }],
    });
    expect(errorState(core)).toMatchObject({ status: 'error', message: 'Only 3 available.', fieldErrors: { qty: ['at most 3'] } });
    const refusal = new Refusal('forbidden', 403, 'This needs the admin role.');
    expect((await errorResponse(refusal, 'GET /x').json()).detail).toBe('This needs the admin role.');
    expect(errorState(refusal)).toMatchObject({ status: 'error', message: 'This needs the admin role.' });
  });

  it('an unexpected error is logged and never shown', async () => {
    const log = captureLogs();
    const bug = new Error('password=hunter2');
    expect(JSON.stringify(await errorResponse(bug, 'GET /x', 'Try again.').json())).not.toContain('hunter2');
    expect(errorState(bug).message).toMatch(/went wrong/);
    log.restore();
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(2);
    expect(JSON.stringify(log.lines)).toContain('hunter2');
  });
});
