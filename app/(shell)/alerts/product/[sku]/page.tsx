import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertHistory } from '@/components/alerts/alert-history';
import { AvailabilityChart } from '@/components/alerts/availability-chart';
import { ForecastFigures } from '@/components/alerts/forecast-figures';
import { ProductThresholdForm, WarehouseThresholdForm } from '@/components/alerts/threshold-forms';
import { VelocityChart } from '@/components/alerts/velocity-chart';
import { StockChart } from '@/components/product/stock-chart';
import { PageHeader } from '@/components/ui/page-header';
import { WhyAvailable } from '@/components/why-available';
import { getDb } from '@/db/client';
import { requirePageRole } from '@/server/auth/session';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { alertDrilldown } from '@/server/inventory/read/alert-drilldown';
import { alertReviewQuery } from '@/server/inventory/read/alert-query';
import { productSeries } from '@/server/inventory/read/product-history';

type Props = { params: Promise<{ sku: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props) {
  return { title: `${decoded((await params).sku)} · Alerts · Onhand` };
}

const box = 'space-y-3 rounded-xl border border-slate-200 bg-white p-4';
const tab = 'inline-flex min-h-11 items-center rounded-md px-3 text-sm font-medium';

// The drill-down behind an alert: one product, one warehouse at a time, with why the forecast says what it says.
export default async function AlertProductPage({ params, searchParams }: Props) {
  await requirePageRole('manager');
  const sku = decoded((await params).sku);
  const sp = await searchParams;
  const q = alertReviewQuery.parse(sp);
  const db = getDb();
  const [d, series] = await Promise.all([
    alertDrilldown(db, sku, { windowDays: q.windowDays, targetDays: q.targetDays }).catch((e) => {
      if (e instanceof InventoryError && e.type === 'not_found') notFound();
      throw e;
    }),
    productSeries(db, sku, { days: 42 }).catch(() => null),
  ]);
  // The warehouse asked for, else the first with something to say.
  const w = d.warehouses.find((x) => x.code === q.warehouse) ?? d.warehouses.find((x) => x.days.length || x.alerts.length) ?? d.warehouses[0];
  const here = (code: string) => `/alerts/product/${encodeURIComponent(sku)}?warehouse=${encodeURIComponent(code)}`;
  return (
    <div className="space-y-6">
      <PageHeader title={d.product.name}>
        <nav aria-label="Related" className="flex flex-wrap gap-2 text-sm">
          <Link href="/alerts" className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50">
            ← All alerts
          </Link>
          <Link href={`/stock/${encodeURIComponent(sku)}`} className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50">
            Product page
          </Link>
        </nav>
      </PageHeader>
      <p className="-mt-4 font-mono text-sm text-slate-600">{d.product.sku}</p>
      {w ? (
        <>
          <nav aria-label="Warehouse" className="flex flex-wrap gap-1">
            {d.warehouses.map((x) => (
              <Link key={x.code} href={here(x.code)} prefetch={false} aria-current={x.code === w.code ? 'page' : undefined} className={`${tab} ${x.code === w.code ? 'bg-brand-50 text-brand-700' : 'hover:bg-slate-100'}`}>
                {x.code} · {x.name}
              </Link>
            ))}
          </nav>
          <section aria-label={`Forecast in ${w.code}`}>
            <ForecastFigures w={w} leadTimeDays={d.product.leadTimeDays} windowDays={d.windowDays} targetDays={d.targetDays} />
          </section>
          <section aria-labelledby="available-title" className={box}>
            <h2 id="available-title" className="text-lg font-semibold">
              Available over time in {w.code}
            </h2>
            <AvailabilityChart days={w.days} threshold={w.threshold} forecast={w.forecast} warehouse={w.code} />
          </section>
          <section aria-labelledby="velocity-title" className={box}>
            <h2 id="velocity-title" className="text-lg font-semibold">
              Pick velocity in {w.code}
            </h2>
            <VelocityChart days={w.days} velocity={w.forecast.velocity} windowDays={d.windowDays} warehouse={w.code} />
          </section>
          <section aria-labelledby="thresholds-title" id="thresholds" className={box}>
            <h2 id="thresholds-title" className="text-lg font-semibold">
              Thresholds
            </h2>
            <ProductThresholdForm p={d.product} />
            <WarehouseThresholdForm key={w.code} sku={sku} warehouse={w.code} threshold={w.thresholdOverride} reorderQty={w.reorderOverride} />
          </section>
          <section aria-labelledby="history-title" className={box}>
            <h2 id="history-title" className="text-lg font-semibold">
              Alert history in {w.code}
            </h2>
            <AlertHistory alerts={w.alerts} />
          </section>
          <WhyAvailable sku={sku} warehouse={w.code} />
        </>
      ) : null}
      {series ? (
        <section aria-labelledby="all-bins-title" className={box}>
          <h2 id="all-bins-title" className="text-lg font-semibold">
            Stock over time, every warehouse
          </h2>
          <StockChart series={series} />
        </section>
      ) : null}
    </div>
  );
}

// Segments may arrive still percent-encoded; a malformed one is taken as it is.
function decoded(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
