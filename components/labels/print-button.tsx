'use client';

import { Button } from '@/components/ui/button';

// The browser's own print dialog: it prints or saves as PDF with the page's @page size.
export function PrintButton() {
  return (
    <Button variant="primary" onClick={() => window.print()} autoFocus>
      Print
    </Button>
  );
}
