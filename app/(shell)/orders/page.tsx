import { OrdersScreen } from '@/components/orders/orders-screen';
import { hasRole } from '@/lib/contracts/roles';
import { requirePageRole } from '@/server/auth/session';

export const metadata = { title: 'Orders · Onhand' };

export default async function OrdersPage() {
  const user = await requirePageRole('staff');
  return <OrdersScreen canCancel={hasRole(user.role, 'manager')} />;
}
