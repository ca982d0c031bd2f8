// Integration tests start processes and databases; Jest's testTimeout is not a
// per-project option, so the integration project sets its own here.
jest.setTimeout(60_000);
