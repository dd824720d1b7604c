/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'jsdom',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { target: 'es2020', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.build/'],
  setupFiles: ['<rootDir>/test/setup.ts'],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  fakeTimers: { enableGlobally: false },
  // `--coverage` (npm test) measures the sources that run in jest only: never dist/, test/ or tooling, and not
  // preview/ (it runs in Chromium, where jest cannot see it), so the figure means something
  collectCoverageFrom: [
    'utils/**/*.ts',
    'components/**/*.ts',
    'server/**/*.ts',
    'emulator/**/*.ts',
    '!**/*.d.ts',
  ],
  coveragePathIgnorePatterns: ['/node_modules/', '/dist/', '/test/', '/.build/'],
  coverageThreshold: { './utils/': { lines: 95 } },
  coverageReporters: ['text-summary', ['text', { skipFull: true }]],
};
