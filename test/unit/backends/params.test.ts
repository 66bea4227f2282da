import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../../src/backends/backend.js';
import { checkEraParam, checkRuntimeParam, coerceParam, paramSpec, paramsOfEra, resolveParams } from '../../../src/backends/params.js';
import { BACKENDS, backendNames, getBackendFactory } from '../../../src/backends/registry.js';
import { UsageError } from '../../../src/errors.js';
import { usageError } from '../../helpers/usage.js';

const SPECS: readonly ParamSpec[] = [
  { name: 'flag', type: 'bool', default: false, runtime: false, doc: '' },
  { name: 'pct', type: 'int', default: 0, min: 0, max: 100, runtime: true, doc: '' },
  { name: 'comp', type: 'string', default: 'lz4', runtime: false, doc: '' },
  { name: 'mode', type: 'string', default: 'a', choices: ['a', 'b'], runtime: true, doc: '' },
];

describe('backend parameters', () => {
  it('fills defaults in spec order and coerces command-line strings', () => {
    expect(resolveParams('x', SPECS)).toEqual({ flag: false, pct: 0, comp: 'lz4', mode: 'a' });
    const r = resolveParams('x', SPECS, { mode: 'b', flag: 'Y', pct: '42' });
    expect(r).toEqual({ flag: true, pct: 42, comp: 'lz4', mode: 'b' });
    expect(Object.keys(r)).toEqual(['flag', 'pct', 'comp', 'mode']);
  });

  it('accepts true/false/1/0/y/n for booleans', () => {
    const flag = SPECS[0]!;
    for (const v of ['true', 'TRUE', '1', 'y', 'Y', 'yes', 'on', 1, true]) expect(coerceParam('x', flag, v)).toBe(true);
    for (const v of ['false', '0', 'n', 'N', 'no', 'off', 0, false]) expect(coerceParam('x', flag, v)).toBe(false);
    const e = usageError(() => coerceParam('x', flag, 'maybe'));
    expect(e.where.field).toBe('flag');
    expect(e.accepted).toBe('true, false, 1, 0, y, n');
  });

  it('checks integer type and range', () => {
    const pct = SPECS[1]!;
    expect(coerceParam('x', pct, ' 7 ')).toBe(7);
    expect(coerceParam('x', pct, 100)).toBe(100);
    for (const bad of ['7.5', 'abc', '', 101, -1, 2.5, true]) {
      const e = usageError(() => coerceParam('x', pct, bad));
      expect(e.accepted).toBe('0..100');
      expect(e.message).toContain("parameter 'pct' of backend x must be an integer in 0..100");
    }
  });

  it('checks string choices', () => {
    const mode = SPECS[3]!;
    const e = usageError(() => coerceParam('x', mode, 'c'));
    expect(e.accepted).toBe('a, b');
    expect(coerceParam('x', SPECS[2]!, 842)).toBe('842');
  });

  it('names an unknown parameter and lists the accepted ones', () => {
    const e = usageError(() => resolveParams('zcache', SPECS, { nope: 1 }));
    expect(e.what).toBe("unknown parameter 'nope' for backend zcache");
    expect(e.where).toEqual({ field: 'nope' });
    expect(e.accepted).toBe('flag, pct, comp, mode');
    expect(() => paramSpec('zcache', SPECS, 'nope')).toThrow(UsageError);
  });

  it('allows runtime changes only of runtime parameters', () => {
    expect(checkRuntimeParam('x', SPECS, 'pct', '5')).toBe(5);
    const e = usageError(() => checkRuntimeParam('x', SPECS, 'comp', 'lzo'));
    expect(e.what).toContain('load-time parameter');
    expect(e.accepted).toBe('pct, mode');
    const none: ParamSpec[] = [{ ...SPECS[0]! }];
    expect(usageError(() => checkRuntimeParam('x', none, 'flag', true)).accepted).toBe('none at runtime');
  });
});

describe('backend registry', () => {
  it('has every backend, zcache first', () => {
    expect(backendNames()).toEqual(['zcache', 'zswap', 'xen-tmem', 'ramster']);
    expect(BACKENDS.get('zcache')).toBe(getBackendFactory('zcache'));
    expect(getBackendFactory('zcache').era).toContain('3.10');
  });

  it('names an unknown backend and lists the accepted ones', () => {
    const e = usageError(() => getBackendFactory('zswap9'));
    expect(e.what).toBe("unknown backend 'zswap9'");
    expect(e.accepted).toBe('zcache, zswap, xen-tmem, ramster');
  });

  it("a parameter with eras: left out of another era's parameters, and there only its default is accepted", () => {
    const specs: readonly ParamSpec[] = [...SPECS, { name: 'late', type: 'int', default: 7, runtime: true, doc: '', eras: ['2', '3'] }];
    const all = resolveParams('x', specs);
    expect(paramsOfEra(specs, all, '2')).toEqual(all);
    expect(paramsOfEra(specs, all, '1')).toEqual({ flag: false, pct: 0, comp: 'lz4', mode: 'a' });
    const late = paramSpec('x', specs, 'late');
    expect(() => checkEraParam('x', late, 8, '3')).not.toThrow();
    expect(() => checkEraParam('x', late, 7, '1')).not.toThrow();
    const e = usageError(() => checkEraParam('x', late, 8, '1'));
    expect(e.what).toBe("parameter 'late' of backend x does not exist in era 1 (its eras: 2, 3)");
    expect(e.where.field).toBe('late');
    expect(e.accepted).toBe('its default, 7, or one of those eras');
    // A parameter without eras is every era's.
    expect(() => checkEraParam('x', paramSpec('x', specs, 'pct'), 50, '1')).not.toThrow();
  });
});
