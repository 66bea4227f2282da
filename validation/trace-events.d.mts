// Types of validation/trace-events.mjs, for the tests (tsconfig.test.json).
export interface PhaseCounts {
  name: string;
  counts: Map<string, number>;
}
export function countEvents(text: string): PhaseCounts[];
export function format(phases: PhaseCounts[]): string;
