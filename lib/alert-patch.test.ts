import { describe, expect, it } from 'vitest';
import { patchReview, stateOf } from './alert-patch';
import type { AlertReview, ReviewRow } from '@/lib/contracts/alerts';
import type { AlertMessage } from '@/lib/contracts/realtime';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const row = (over: Partial<ReviewRow>): ReviewRow => ({
  key: '1:MAIN', cursor: 'c', alertId: 'a-1', productId: 1, sku: 'MUG', name: 'Mug', warehouse: 'MAIN', kind: 'low_stock', state: 'open',
  available: 4, threshold: 5, thresholdOverridden: false, reorderQty: 0, leadTimeDays: 7, picked: 0, incoming: 0, incomingDate: null,
  forecast: { velocity: 0, daysOfCover: null, stockoutDate: null, atRisk: false, suggestedQty: 0, slackDays: null },
  openedAt: '2026-12-07T09:00:00.000Z', acknowledgedAt: null, acknowledgedBy: null, snoozedUntil: null, note: null, resolvedAt: null, version: 3,
  ...over,
});
const review = (rows: ReviewRow[]): AlertReview => ({
  asOf: '2026-12-07T09:30:00.000Z', windowDays: 28, targetDays: 14, next: null, warehouses: [], rows,
  summary: { alerts: 1, out: 0, low: 1, atRisk: 0, acknowledged: 0, snoozed: 0, attention: 1, leadTime: 0, total: 1 },
});
const msg = (over: Partial<AlertMessage>): AlertMessage => ({
  id: 'a-1', productId: 1, sku: 'MUG', warehouseId: 9, kind: 'low_stock', status: 'open', available: 4, threshold: 5,
  snoozedUntil: null, acknowledgedBy: null, note: null, version: 4, ...over,
});

describe('a review page patched by alert messages', () => {
  it('takes a newer version of a visible row in place, keeping the order', () => {
    const r = review([row({}), row({ key: '2:MAIN', alertId: 'a-2', productId: 2, sku: 'CUP' })]);
    const out = patchReview(r, msg({ kind: 'out_of_stock', available: 0, status: 'acknowledged', acknowledgedBy: 'user:m@x', note: 'PO-9' }), 'MAIN', NOW);
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.data.rows.map((x) => x.sku)).toEqual(['MUG', 'CUP']);
    expect(out.data.rows[0]).toMatchObject({ kind: 'out_of_stock', available: 0, state: 'acknowledged', acknowledgedBy: 'user:m@x', note: 'PO-9', version: 4 });
  });

  it('ignores an old or repeated version, and an alert not on the page', () => {
    const r = review([row({})]);
    expect(patchReview(r, msg({ version: 3, available: 1 }), 'MAIN', NOW).kind).toBe('stale');
    expect(patchReview(r, msg({ id: 'a-9', productId: 7 }), 'MAIN', NOW).kind).toBe('absent');
  });

  it('gives an at-risk row its newly opened alert, and reads snoozed and resolved from the message', () => {
    const r = review([row({ alertId: null, kind: null, state: 'at_risk', version: null })]);
    const out = patchReview(r, msg({ id: 'a-5', version: 1 }), 'MAIN', NOW);
    expect(out.kind === 'applied' && out.data.rows[0]).toMatchObject({ alertId: 'a-5', state: 'open', kind: 'low_stock' });
    expect(patchReview(r, msg({ id: 'a-5', version: 1 }), 'EAST', NOW).kind).toBe('absent');
    expect(stateOf({ status: 'open', snoozedUntil: '2026-12-07T11:00:00Z' }, NOW)).toBe('snoozed');
    expect(stateOf({ status: 'open', snoozedUntil: '2026-12-07T09:00:00Z' }, NOW)).toBe('open');
    expect(stateOf({ status: 'resolved', snoozedUntil: null }, NOW)).toBe('resolved');
  });
});
