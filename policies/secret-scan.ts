// The policy's secret scanner is the one validation uses too (constructs/secret-scan.ts), so
// synth and the policy refuse the same literals and show them the same way.
export * from "../constructs/secret-scan";
