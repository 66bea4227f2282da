import { describe, expect, it } from 'vitest';
import { WORK_LATENCY_NS, WorkQueue, type WorkItem } from '../../../src/sim/workqueue.js';

function item(name: string, log: string[], body?: () => void): WorkItem {
  return {
    name,
    run() {
      log.push(name);
      body?.();
    },
  };
}

describe('work queue on the simulated clock', () => {
  it('a held item (its kworker refused the CPU) is pending but never due until release, then runs after those already due', () => {
    const q = new WorkQueue(1000);
    const log: string[] = [];
    const a = item('a', log);
    const b = item('b', log);
    expect(q.queue(a, 0, true)).toBe(true);
    expect(q.queue(a, 10, true)).toBe(false); // pending: queue_work does nothing
    expect(q.queue(b, 100)).toBe(true); // due at 1100
    expect(q.runDue(1e12)).toBe(1);
    expect(log).toEqual(['b']);
    expect(q.isPending(a)).toBe(true);
    expect(q.nextDue()).toBe(Infinity);
    q.release(2000);
    expect(q.nextDue()).toBe(2000);
    expect(q.runDue(1999)).toBe(0);
    expect(q.runDue(2000)).toBe(1);
    expect(log).toEqual(['b', 'a']);
  });

  it('queue_work: a pending item is not queued twice; it runs once its latency has passed', () => {
    const q = new WorkQueue(1000);
    const log: string[] = [];
    const a = item('a', log);
    expect(q.queue(a, 5000)).toBe(true);
    expect(q.queue(a, 5500)).toBe(false);
    expect(q.isPending(a)).toBe(true);
    expect(q.nextDue()).toBe(6000);
    expect(q.runDue(5999)).toBe(0);
    expect(q.runDue(6000)).toBe(1);
    expect(log).toEqual(['a']);
    expect(q.isPending(a)).toBe(false);
    expect(q.queue(a, 7000)).toBe(true); // queueable again once it ran
    expect(q.runs).toBe(1);
  });

  it('nothing runs inside a running item (one worker): an item queued again while it runs waits until it returns', () => {
    const q = new WorkQueue(0);
    const log: string[] = [];
    let depth = 0;
    let nested = -1;
    const a: WorkItem = item('a', log, () => {
      depth++;
      if (log.length === 1) {
        // its allocation reclaims, reclaim queues it again and runs due work: not here
        expect(q.queue(a, 10)).toBe(true);
        nested = q.runDue(100);
        expect(depth).toBe(1);
      }
      depth--;
    });
    q.queue(a, 10);
    expect(q.runDue(100)).toBe(2);
    expect(nested).toBe(0);
    expect(log).toEqual(['a', 'a']);
    expect(q.size).toBe(0);
  });

  it('runs due items in due order, ties in queueing order; an item may queue itself again while running', () => {
    const q = new WorkQueue(0);
    const log: string[] = [];
    let again = 2;
    const a: WorkItem = item('a', log, () => {
      if (again-- > 0) expect(q.queue(a, 10)).toBe(true); // PENDING is clear while it runs
    });
    const b = item('b', log);
    const c = item('c', log);
    q.queue(c, 20);
    q.queue(a, 10);
    q.queue(b, 10);
    expect(q.runDue(15)).toBe(4);
    expect(log).toEqual(['a', 'b', 'a', 'a']);
    expect(q.size).toBe(1);
    expect(q.flush()).toBe(1);
    expect(log).toEqual(['a', 'b', 'a', 'a', 'c']);
  });

  it('cancelAll drops queued items unrun; they can be queued again', () => {
    const q = new WorkQueue(0);
    const log: string[] = [];
    const a = item('a', log);
    q.queue(a, 0);
    expect(q.cancelAll()).toBe(1);
    expect(q.runDue(100)).toBe(0);
    expect(log).toEqual([]);
    expect(q.queue(a, 0)).toBe(true);
  });

  it('a queue made without a latency runs an item WORK_LATENCY_NS after it was queued, not before', () => {
    const q = new WorkQueue();
    const log: string[] = [];
    q.queue(item('a', log), 1000);
    expect(q.nextDue()).toBe(1000 + WORK_LATENCY_NS);
    expect(q.runDue(1000 + WORK_LATENCY_NS - 1)).toBe(0);
    expect(log).toEqual([]);
    expect(q.runDue(1000 + WORK_LATENCY_NS)).toBe(1);
    expect(log).toEqual(['a']);
  });
});
