import { ScreenSkeleton } from '@/components/ui/screen-skeleton';

export default function Loading() {
  return <ScreenSkeleton label="stock" />;
}
