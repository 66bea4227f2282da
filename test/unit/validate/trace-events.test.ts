import { describe, expect, it } from 'vitest';
import { countEvents, format } from '../../../validation/trace-events.mjs';

// Lines in the format of a 6.1 ftrace text trace (record.mjs --sched-trace --events ...).
function line(task: string, ts: number, event: string, body: string): string {
  return `${task.padStart(16)}     [000] d..3. ${ts.toFixed(6).padStart(12)}: ${event}: ${body}`;
}
const mark = (ts: number, name: string): string => line('workload-137', ts, 'tracing_mark_write', `tmemsim-mark ${name}`);
const extfrag = (ts: number, task: string, fallbackOrder: number, alloc: number, fallback: number, owner: number): string =>
  line(task, ts, 'mm_page_alloc_extfrag', `page=000000001cd5feb9 pfn=0x3b00 alloc_order=0 fallback_order=${fallbackOrder} pageblock_order=9 alloc_migratetype=${alloc} fallback_migratetype=${fallback} fragmenting=1 change_ownership=${owner}`);
const wake = (ts: number): string => line('kswapd0-37', ts, 'mm_vmscan_kswapd_wake', 'nid=0 order=0');

describe('trace-events', () => {
  it('counts each phase’s events, and splits the fallbacks by migratetype, boost and steal', () => {
    const text = [
      '# tracer: nop',
      wake(0.1), // before the first mark: left out
      mark(1, 'start'),
      extfrag(1.1, 'workload-137', 0, 1, 0, 0), // movable into an unmovable block's order-0 buddy: boosts
      extfrag(1.2, 'kswapd0-37', 9, 0, 1, 1), // a whole free block: no boost, stolen
      extfrag(1.3, 'kswapd0-37', 7, 0, 1, 1), // part of a block, stolen: boosts
      wake(1.4),
      line('kworker/0:1-17', 1.5, 'mm_vmscan_kswapd_sleep', 'nid=0'),
      mark(2, 'write'),
      wake(2.1),
      wake(2.2),
      mark(3, 'reread'),
    ].join('\n');
    const phases = countEvents(text);
    expect(phases.map((p) => p.name)).toEqual(['write', 'reread']);
    expect(Object.fromEntries(phases[0]!.counts)).toEqual({
      'mm_page_alloc_extfrag (workload)': 1,
      'mm_page_alloc_extfrag (kswapd0)': 2,
      '  fallback 1 <- 0': 1,
      '  fallback 0 <- 1': 2,
      '  boosting (less than a pageblock)': 2,
      '  block stolen (change_ownership)': 2,
      'mm_vmscan_kswapd_wake (kswapd0)': 1,
      'mm_vmscan_kswapd_sleep (kworker)': 1,
    });
    expect(Object.fromEntries(phases[1]!.counts)).toEqual({ 'mm_vmscan_kswapd_wake (kswapd0)': 2 });
    expect(format(phases).split('\n')[0]).toBe('write:');
  });

  it('shows what came after the last mark as its own phase', () => {
    const phases = countEvents([mark(1, 'start'), wake(1.5), mark(2, 'write'), wake(2.5)].join('\n'));
    expect(phases.map((p) => [p.name, p.counts.size])).toEqual([
      ['write', 1],
      ['(after write)', 1],
    ]);
  });
});
