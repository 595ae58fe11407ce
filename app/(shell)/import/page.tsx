import { ExportLinks } from '@/components/imports/export-links';
import { ImportScreen } from '@/components/imports/import-screen';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';

export const metadata = { title: 'Import and export · Onhand' };

// Bringing a catalogue, bins and stock in from a spreadsheet, Shopify or WooCommerce, and taking them out again.
export default async function ImportPage() {
  await requirePageRole('manager');
  return (
    <div className="space-y-8">
      <PageHeader title="Import" />
      <ImportScreen />
      <ExportLinks />
    </div>
  );
}
