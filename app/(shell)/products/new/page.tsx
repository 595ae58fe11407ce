import { ProductForm } from '@/components/catalogue/product-form';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';

export const metadata = { title: 'New product · Onhand' };

export default async function NewProductPage() {
  await requirePageRole('manager');
  return (
    <div>
      <PageHeader title="New product" />
      <ProductForm />
    </div>
  );
}
