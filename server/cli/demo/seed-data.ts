// Deterministic demo catalogue: realistic names, SKUs and valid EAN-13 barcodes.
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

const families: { code: string; item: string; sizes: string[]; materials: string[] }[] = [
  { code: 'MUG', item: 'Mug', sizes: ['250 ml', '350 ml', '450 ml'], materials: ['Ceramic', 'Enamel', 'Stoneware'] },
  { code: 'BTL', item: 'Water Bottle', sizes: ['500 ml', '750 ml', '1 l'], materials: ['Steel', 'Glass', 'Tritan'] },
  { code: 'TSH', item: 'T-Shirt', sizes: ['S', 'M', 'L', 'XL'], materials: ['Cotton', 'Organic Cotton', 'Linen'] },
  { code: 'SCK', item: 'Socks', sizes: ['36-40', '41-46'], materials: ['Wool', 'Bamboo', 'Cotton'] },
  { code: 'NBK', item: 'Notebook', sizes: ['A5', 'A4'], materials: ['Dotted', 'Lined', 'Plain'] },
  { code: 'CBL', item: 'USB-C Cable', sizes: ['1 m', '2 m'], materials: ['Braided', 'Silicone'] },
  { code: 'CDL', item: 'Candle', sizes: ['180 g', '300 g'], materials: ['Soy', 'Beeswax'] },
  { code: 'TWL', item: 'Towel', sizes: ['Hand', 'Bath'], materials: ['Cotton', 'Waffle'] },
  { code: 'PLT', item: 'Plant Pot', sizes: ['12 cm', '17 cm', '24 cm'], materials: ['Terracotta', 'Concrete'] },
  { code: 'BAG', item: 'Tote Bag', sizes: ['Standard', 'Large'], materials: ['Canvas', 'Jute'] },
  { code: 'LMP', item: 'Desk Lamp', sizes: ['Small', 'Large'], materials: ['Oak', 'Aluminium'] },
  { code: 'BLK', item: 'Throw Blanket', sizes: ['130x170', '150x200'], materials: ['Wool', 'Cotton'] },
];
const colours = ['Blue', 'Sage', 'Charcoal', 'Sand', 'Rust', 'White', 'Black', 'Ochre', 'Navy', 'Olive', 'Blush', 'Slate'];

export type DemoProduct = { sku: string; name: string; gtin: string; threshold: number; reorderQty: number; leadTimeDays: number };

export function demoProducts(count: number, random = rng(42)): DemoProduct[] {
  const out: DemoProduct[] = [];
  const seen = new Set<string>();
  let n = 0;
  while (out.length < count && n < count * 20) {
    n++;
    const f = families[Math.floor(random() * families.length)];
    const colour = colours[Math.floor(random() * colours.length)];
    const material = f.materials[Math.floor(random() * f.materials.length)];
    const size = f.sizes[Math.floor(random() * f.sizes.length)];
    const sku = `${f.code}-${colour.slice(0, 3).toUpperCase()}-${material.slice(0, 2).toUpperCase()}${f.sizes.indexOf(size) + 1}`;
    if (seen.has(sku)) continue;
    seen.add(sku);
    // 50 is a GS1 prefix; the rest is the product's position, padded: unique and check-digit valid.
    const first12 = `50${String(1_000_000_000 + out.length * 7919).slice(-10)}`;
    const ean = `${first12}${ean13CheckDigit(first12)}`;
    out.push({
      sku,
      name: `${colour} ${material} ${f.item}, ${size}`,
      gtin: `0${ean}`,
      threshold: 5 + Math.floor(random() * 16),
      reorderQty: 24 + 12 * Math.floor(random() * 5),
      leadTimeDays: 3 + Math.floor(random() * 12),
    });
  }
  return out;
}

export const demoUsers = [
  { email: 'staff@onhand.test', name: 'Sam Staff', role: 'staff' as const },
  { email: 'manager@onhand.test', name: 'Morgan Manager', role: 'manager' as const },
  { email: 'admin@onhand.test', name: 'Alex Admin', role: 'admin' as const },
];
export const demoPassword = 'onhand-demo';
