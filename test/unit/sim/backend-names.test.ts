/**
 * Where an unknown backend name is refused, the accepted names are the ones that place accepts:
 * the CLI's `--backend` takes 'none' (no backend), a trace's config.backend and a sweep's
 * backends do not (a sweep's baseline pass is its own), and each error names its field.
 */

import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { resolveConfig } from '../../../src/sim/config.js';
import { expandGrid } from '../../../src/sweep/grid.js';
import { usageError } from '../../helpers/usage.js';
import type { TraceHeader } from '../../../src/trace/events.js';

describe('an unknown backend name', () => {
  it("--backend lists 'none' with the registered backends", () => {
    const header = { format: 'tmemsim-trace', version: 1, config: { ram_mb: 16 } } as TraceHeader;
    const e = usageError(() => resolveConfig(header, 'x.json', { backend: 'zcash' }));
    expect(e.what).toBe("unknown backend 'zcash'");
    expect(e.accepted).toBe('none, zcache, zswap, xen-tmem, ramster');
    expect(e.where).toEqual({ field: '--backend' });
  });

  it("config.backend lists the registered backends only, at the trace's field", () => {
    const header = { format: 'tmemsim-trace', version: 1, config: { ram_mb: 16, backend: 'zcash' } } as TraceHeader;
    const e = usageError(() => resolveConfig(header, 'x.json', {}));
    expect(e.accepted).toBe('zcache, zswap, xen-tmem, ramster');
    expect(e.where).toEqual({ file: 'x.json', field: 'config.backend' });
  });

  it("a sweep's backends: the registered ones, at the field 'backends'", () => {
    const workload = path.join(__dirname, '../../../workloads/file-scan.json');
    const e = usageError(() => expandGrid({ workloads: [workload], backends: ['zcash'] }));
    expect(e.what).toBe("unknown backend 'zcash'");
    expect(e.accepted).toBe('zcache, zswap, xen-tmem, ramster');
    expect(e.where).toEqual({ field: 'backends' });
  });
});
