import { describe, expect, it } from 'vitest';
import { bulkThresholdsForm, parseThresholdLines } from './threshold-lines';

describe('bulk threshold lines', () => {
  it('reads commas, semicolons and tabs, skips a header, blanks and comments', () => {
    const text = 'sku,threshold,reorder\nMUG-1, 5, 24\n\n# later\nBTL-2;7\nTSH-3\t0\t12\r\n';
    expect(parseThresholdLines(text)).toEqual({
      items: [
        { sku: 'MUG-1', threshold: 5, reorderQty: 24 },
        { sku: 'BTL-2', threshold: 7 },
        { sku: 'TSH-3', threshold: 0, reorderQty: 12 },
      ],
      errors: [],
    });
  });

  it('names the line and the problem', () => {
    const { errors } = parseThresholdLines('MUG-1, five\nBTL-2, -1\nMUG-1, 3\nCBL-1, 2, x\nNBK-1, 1, 2, 3\n=cmd(), 1\nMUG-2, 4');
    expect(errors).toEqual([
      'Line 1: the threshold for MUG-1 must be a whole number of at least 0.',
      'Line 2: the threshold for BTL-2 must be a whole number of at least 0.',
      'Line 4: the reorder quantity for CBL-1 must be a whole number of at least 0.',
      'Line 5: expected SKU, threshold and an optional reorder quantity.',
      'Line 6: "=cmd()" is not a SKU.',
    ]);
    expect(parseThresholdLines('A-1, 1\nA-1, 2').errors).toEqual(['Line 2: A-1 is already on line 1.']);
    expect(parseThresholdLines(' \n').errors).toEqual(['Paste at least one line: SKU, threshold, reorder quantity.']);
  });

  it('turns the form into items for every warehouse or one, with errors on the lines field', () => {
    expect(bulkThresholdsForm.parse({ warehouse: '', lines: 'A-1, 3' })).toEqual({ warehouse: undefined, items: [{ sku: 'A-1', threshold: 3 }] });
    expect(bulkThresholdsForm.parse({ warehouse: 'MAIN', lines: 'A-1, 3, 10' })).toEqual({ warehouse: 'MAIN', items: [{ sku: 'A-1', threshold: 3, reorderQty: 10 }] });
    const bad = bulkThresholdsForm.safeParse({ warehouse: '', lines: 'A-1, x' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['lines', 'Line 1: the threshold for A-1 must be a whole number of at least 0.']]);
  });
});
