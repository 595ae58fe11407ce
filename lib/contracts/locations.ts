// Warehouses and bins as master data, as they cross the wire: the Warehouses pages, GET/PUT /api/v1/locations and
// the bin-pattern preview.
import { z } from 'zod';

export const locationKinds = ['receiving', 'storage', 'pick', 'shipping', 'quarantine'] as const;
export const locationKindSchema = z.enum(locationKinds, { error: `must be one of ${locationKinds.join(', ')}` });
export type LocationKind = z.infer<typeof locationKindSchema>;

export const warehouseMasterSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    active: z.boolean().meta({ description: 'false once deactivated: no new stock, out of pickers; history stays.' }),
    version: z.number().int(),
  })
  .meta({ id: 'Warehouse' });
export type WarehouseMaster = z.infer<typeof warehouseMasterSchema>;

export const binSchema = z
  .object({
    warehouse: z.string(),
    code: z.string(),
    kind: locationKindSchema,
    sellable: z.boolean().meta({ description: 'Counts towards availability when the kind is pick or storage.' }),
    pickOrder: z.number().int().meta({ description: 'Position on the pick path: pick lists walk bins by it, then by code.' }),
    active: z.boolean().meta({ description: 'false once deactivated: takes no new stock; history stays.' }),
    version: z.number().int().meta({ description: 'Send it back as `version` to refuse the save if someone changed the bin since.' }),
  })
  .meta({ id: 'Location' });
export type Bin = z.infer<typeof binSchema>;

// The Warehouses page: each warehouse with how many bins it has, and how many of them hold something.
export type WarehouseSummary = WarehouseMaster & { bins: number; activeBins: number; binsInUse: number };

// A bin on its warehouse's page, with what it holds.
export type BinContent = { sku: string; onHand: number; reserved: number };
export type BinRow = Bin & { id: number; contents: BinContent[]; holds: number };

export type WarehousePage = { warehouse: WarehouseMaster & { id: number }; bins: BinRow[] };

export type BinPatternPreview = { codes: string[]; clashes: string[] } | { error: string; fields: Record<string, string[]> };
