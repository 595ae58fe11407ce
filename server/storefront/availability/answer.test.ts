import { describe, expect, it } from 'vitest';
import { corsHeaders } from '@/server/http/cors';
import { figuresAnswer, preflightAnswer, responseOf, type Availability } from './answer';

const figures: Availability = { items: [{ sku: 'A-1', available: 3, status: 'low_stock', updatedAt: null }], unknown: ['NOPE'] };

describe('the availability answer', () => {
  it('is the same, tag included, whichever process computed the figures', () => {
    const memory = figuresAnswer(figures, 'memory', null);
    const database = figuresAnswer(structuredClone(figures), 'database', null);
    expect(memory.status).toBe(200);
    expect(JSON.parse(memory.body)).toEqual(figures);
    expect(memory.body).toBe(database.body);
    expect(memory.headers.ETag).toBe(database.headers.ETag);
    expect([memory.headers['X-Onhand-Source'], database.headers['X-Onhand-Source']]).toEqual(['memory', 'database']);
    expect(memory.headers['Content-Length']).toBe(String(Buffer.byteLength(memory.body)));
  });

  it('answers 304 with no body to its own tag, weak, in a list, or *; other figures get a new tag', () => {
    const { ETag: tag } = figuresAnswer(figures, 'memory', null).headers;
    for (const ifNoneMatch of [tag, `W/${tag}`, `"other", ${tag}`, '*']) {
      const a = figuresAnswer(figures, 'memory', ifNoneMatch);
      expect([a.status, a.body, a.headers.ETag]).toEqual([304, '', tag]);
    }
    const changed = figuresAnswer({ ...figures, unknown: [] }, 'memory', tag);
    expect(changed.status).toBe(200);
    expect(changed.headers.ETag).not.toBe(tag);
  });

  it('tells only an origin with a grant what a request may carry', () => {
    const granted = preflightAnswer(corsHeaders('https://shop.example'));
    expect(granted).toMatchObject({ status: 204, headers: { 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': 'If-None-Match' } });
    const refused = preflightAnswer(corsHeaders(null));
    expect(refused.headers).toEqual({ Vary: 'Origin' });
  });

  it('becomes a Response for the app with no body on 304 and 204', async () => {
    const tag = figuresAnswer(figures, 'database', null).headers.ETag;
    const r = responseOf(figuresAnswer(figures, 'database', tag));
    expect(r.status).toBe(304);
    expect(await r.text()).toBe('');
    expect(r.headers.get('etag')).toBe(tag);
  });
});
