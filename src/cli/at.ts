/**
 * `--at WHEN:ACTION`: inject a control event into a trace without editing it.
 *   WHEN:   N (before event N), N% (of the trace's events), Ns / Nms / Nus (simulated time)
 *   ACTION: rmmod[=strategy] | insmod=backend[,key=value...] | param=name=value | node_down=N | node_up=N
 */

import type { Injection } from '../sim/config.js';
import { UsageError } from '../errors.js';
import type { TraceEvent } from '../trace/events.js';
import type { ParamMap } from '../backends/params.js';

const FORMS = 'WHEN:ACTION with WHEN = N, N%, Ns, Nms or Nus and ACTION = rmmod[=strategy], insmod=backend[,k=v...], param=name=value, node_down=N, node_up=N';

function bad(spec: string, why: string): never {
  throw new UsageError(`bad --at '${spec}': ${why}`, { field: '--at' }, FORMS);
}

function when(spec: string, w: string): Injection['at'] {
  let m = /^(\d+(?:\.\d+)?)%$/.exec(w);
  if (m) {
    const v = Number(m[1]);
    if (v > 100) bad(spec, 'a percentage above 100');
    return { kind: 'percent', value: v };
  }
  m = /^(\d+(?:\.\d+)?)(s|ms|us)$/.exec(w);
  if (m) return { kind: 'time', value: Number(m[1]) * (m[2] === 's' ? 1e9 : m[2] === 'ms' ? 1e6 : 1e3) };
  if (/^\d+$/.test(w)) return { kind: 'index', value: Number(w) };
  return bad(spec, `'${w}' is not a point of the trace`);
}

function action(spec: string, a: string): TraceEvent {
  const eq = a.indexOf('=');
  const verb = eq < 0 ? a : a.slice(0, eq);
  const arg = eq < 0 ? '' : a.slice(eq + 1);
  switch (verb) {
    case 'rmmod':
      return arg ? { op: 'rmmod', strategy: arg } : { op: 'rmmod' };
    case 'insmod': {
      if (!arg) bad(spec, 'insmod needs a backend (insmod=zcache)');
      const [backend, ...kv] = arg.split(',');
      const params: ParamMap = {};
      for (const p of kv) {
        const i = p.indexOf('=');
        if (i <= 0) bad(spec, `'${p}' is not key=value`);
        params[p.slice(0, i)] = p.slice(i + 1);
      }
      return { op: 'insmod', backend: backend!, params };
    }
    case 'param': {
      const i = arg.indexOf('=');
      if (i <= 0) bad(spec, 'param needs name=value (param=compressor=deflate)');
      return { op: 'param', name: arg.slice(0, i), value: arg.slice(i + 1) };
    }
    case 'node_down':
    case 'node_up':
      if (!/^\d$/.test(arg)) bad(spec, `${verb} needs a node number 0..7`);
      return { op: verb, node: Number(arg) };
    default:
      return bad(spec, `unknown action '${verb}'`);
  }
}

export function parseAt(spec: string, prev: Injection[] = []): Injection[] {
  const i = spec.indexOf(':');
  if (i <= 0) bad(spec, 'missing WHEN:');
  return [...prev, { at: when(spec, spec.slice(0, i)), event: action(spec, spec.slice(i + 1)), spec }];
}
