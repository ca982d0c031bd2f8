// One Jest run, three projects, told apart by file name as the house style says:
//   *.spec.ts      unit tests, no outside process
//   *.int.spec.ts  need PostgreSQL (started once per run by jest/global-setup.ts)
//                  or the engine; each suite gets a database of its own
//   *.e2e.spec.ts  need a browser
// TypeScript is compiled by SWC (type checking is `npm run typecheck`'s job).

/** ES-module-only packages that Jest's CommonJS runtime must have transpiled. */
const esmPackages = [
  'bpmn-moddle', 'zeebe-bpmn-moddle', 'dmn-moddle', 'moddle', 'moddle-xml', 'min-dash', 'saxen', 'xml-naming',
  'feelin', 'lezer-feel', '@lezer', 'temporal-polyfill', 'temporal-spec', 'temporal-utils',
  '@bpmn-io', 'luxon', '@camunda/camunda-api-zod-schemas',
  'jose', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit',
];

const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  testEnvironment: 'node',
  // Packages that publish only "import" (or "module-sync") exports: point Jest at the files.
  moduleNameMapper: {
    '^@camunda/camunda-api-zod-schemas/(.*)$': '<rootDir>/node_modules/@camunda/camunda-api-zod-schemas/dist/$1.js',
    '^file-type$': '<rootDir>/node_modules/file-type/index.js',
  },
  transform: { '^.+\\.(t|j|mj)s$': swcTransform },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  modulePathIgnorePatterns: ['<rootDir>/.data/', '/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/.data/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Suites run one at a time (2 cores), but in a worker that is replaced once
  // it holds more than this after a suite: in one process for the whole run,
  // what each suite's portal, engine and browser leave behind added up to
  // Node's heap limit (the run died out of memory after about 100 suites).
  workerIdleMemoryLimit: '1536MB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.spec.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      globalSetup: '<rootDir>/jest/global-setup.ts',
      globalTeardown: '<rootDir>/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/jest/integration-setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/jest/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/jest/e2e-setup.ts'],
    },
  ],
};
