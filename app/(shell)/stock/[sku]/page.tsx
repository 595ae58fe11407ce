import { ProductView } from '@/components/product/product-view';
import { hasRole } from '@/lib/contracts/roles';
import { requirePageRole } from '@/server/auth/session';

export async function generateMetadata({ params }: { params: Promise<{ sku: string }> }) {
  return { title: `${decoded((await params).sku)} · Onhand` };
}

export default async function ProductPage({ params }: { params: Promise<{ sku: string }> }) {
  const user = await requirePageRole('staff');
  const sku = decoded((await params).sku);
  // Manager-only actions are not rendered for staff at all; their pages and actions refuse staff as well.
  return <ProductView sku={sku} canAdjust={hasRole(user.role, 'manager')} />;
}

// Segments may arrive still percent-encoded; a malformed one is taken as it is.
function decoded(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
