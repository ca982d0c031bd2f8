// Browser tests walk whole journeys across processes; Jest's testTimeout is not a per-project option.
jest.setTimeout(300_000);
