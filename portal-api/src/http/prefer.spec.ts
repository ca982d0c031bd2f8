import { prefersMinimalReturn } from './prefer';

describe('the Prefer header', () => {
  test.each([
    ['return=minimal', true],
    ['Return=Minimal', true],
    ['return="minimal"', true],
    ['respond-async, return=minimal; foo=bar', true],
    [' wait=10 ,return = minimal', true],
    ['return=representation', false],
    ['return-minimal', false],
    ['respond-async', false],
    ['', false],
    [undefined, false],
  ])('%p asks for a minimal answer: %p', (header, minimal) => {
    expect(prefersMinimalReturn(header)).toBe(minimal);
  });
});
