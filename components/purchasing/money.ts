// Minor units (cents) as the shop reads them; no currency symbol: the shop has one currency.
export const money = (cents: number | null) => (cents === null ? '—' : (cents / 100).toFixed(2));
