// The demo shop's one page: a product grid with a live badge on each card, themed by the shop through the badge's
// CSS custom properties and ::part(), and an "Add to cart" button that follows the badge's state.
import type { ShopItem } from './catalogue';

// The kind of thing, not its colour: "Blue Soy Candle, 300 g" → C.
const initialOf = (name: string) => name.split(',')[0].trim().split(' ').at(-1)?.slice(0, 1).toUpperCase() ?? '?';
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function shopPage(o: { items: ShopItem[]; realtimeUrl: string; channel: string }): string {
  const script = `${o.realtimeUrl}/embed/availability.js`;
  const cards = o.items
    .map(
      (p) => `<li class="card">
  <div class="art" aria-hidden="true">${esc(initialOf(p.name))}</div>
  <h2>${esc(p.name)}</h2>
  <p class="sku">${esc(p.sku)}</p>
  <p class="price">${esc(p.price)}</p>
  <onhand-availability sku="${esc(p.sku)}" channel="${esc(o.channel)}"></onhand-availability>
  <button type="button" class="add" disabled>Add to cart</button>
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Outfitters · Onhand demo storefront</title>
<style>
  body { margin: 0; font-family: Georgia, 'Times New Roman', serif; background: #faf7f2; color: #2b2118; }
  header { padding: 1.5rem 2rem; border-bottom: 1px solid #e7ded2; display: flex; justify-content: space-between; align-items: baseline; flex-wrap: wrap; gap: 1rem; }
  header h1 { margin: 0; font-size: 1.6rem; letter-spacing: .02em; }
  header p { margin: 0; color: #6b5d50; font-size: .9rem; }
  main { padding: 2rem; }
  ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); }
  .card { background: #fff; border: 1px solid #e7ded2; border-radius: 12px; padding: 1rem; display: flex; flex-direction: column; gap: .4rem; }
  .art { height: 110px; border-radius: 8px; background: linear-gradient(135deg, #efe6da, #d8c7b2); display: grid; place-items: center; font-size: 2.5rem; color: #8a735c; }
  h2 { font-size: 1rem; margin: .3rem 0 0; }
  .sku { margin: 0; font: .75rem ui-monospace, monospace; color: #8a7d70; }
  .price { margin: 0; font-weight: bold; }
  /* The shop's own look for the badge: its custom properties and parts. Its own CSS cannot leak in or out. */
  onhand-availability { --onhand-font: 600 .85rem/1.2 system-ui, sans-serif; --onhand-background: #f6f1ea; --onhand-in-stock-color: #2f7d4f; }
  onhand-availability::part(badge) { border: 1px solid #e7ded2; }
  .add { margin-top: auto; min-height: 44px; border: 0; border-radius: 8px; background: #2b2118; color: #fff; font: inherit; cursor: pointer; }
  .add:disabled { background: #cfc6bb; cursor: not-allowed; }
  footer { padding: 1rem 2rem 2rem; color: #6b5d50; font-size: .85rem; }
  code { background: #efe6da; padding: .1em .3em; border-radius: 4px; }
</style>
</head>
<body>
<header>
  <h1>Northwind Outfitters</h1>
  <p>A demo storefront on its own origin. Badges are live from Onhand: change stock and watch them move.</p>
</header>
<main>
<ul>
${cards}
</ul>
</main>
<footer>
  Embedded with <code>&lt;script src="${esc(script)}" async&gt;&lt;/script&gt;</code> and
  <code>&lt;onhand-availability sku="…" channel="${esc(o.channel)}"&gt;</code>. Try your own SKUs: <code>?sku=A&amp;sku=B</code>.
</footer>
<script>
  // A badge tells the page what it shows; the shop decides what that means for its cart.
  document.addEventListener('onhand-availability', function (e) {
    var card = e.target.closest('.card');
    var ok = e.detail.state === 'in_stock' || e.detail.state === 'low_stock';
    card.querySelector('.add').disabled = !ok;
  });
</script>
<script src="${esc(script)}" async></script>
</body>
</html>`;
}
