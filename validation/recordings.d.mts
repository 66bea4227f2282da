// Types of validation/recordings.mjs, for the tests (tsconfig.test.json).
export interface Recording { name: string; references: string; profile: string; known: string }
export function recordings(dir?: string): Recording[];
