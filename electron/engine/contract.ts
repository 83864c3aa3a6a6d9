// Moved: the contract is declared once in electron/common/contract.ts (zod schemas + inferred types).
// This re-export keeps engine-internal imports short; new code imports from '../common/contract'.
export * from '../common/contract';
