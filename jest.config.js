const fs = require('fs');
const path = require('path');

/** @type {import('jest').Config} */
const base = {
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

/**
 * Component tests load the bundled dist/ (test/helpers/mp.ts). Coverage is measured on the sources, so
 * `npm test` (and only it, to keep narrow runs single) runs the same component suites a second time on the
 * TypeScript sources (project `sources`, WEBRTC_ROOM_SOURCES=1): every such test also runs on dist.
 */
function componentSuites() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'e2e') walk(f);
      else if (
        e.name.endsWith('.test.ts') &&
        // smoke tests name the built tree themselves: a second run would load dist/ again; the demo pages
        // (demo-*) exist as built pages only (pages/*.ts compiled into dist/), so there is no source tree to run
        !e.name.startsWith('smoke.') &&
        !e.name.startsWith('demo-') &&
        /helpers\/mp'|behaviour\/(wx|tt)-driver'/.test(fs.readFileSync(f, 'utf8'))
      )
        out.push('<rootDir>/' + path.relative(__dirname, f).replace(/\\/g, '/'));
    }
  };
  walk(path.join(__dirname, 'test'));
  return out;
}

const GLOBAL = [
  'reporters',
  'coverageThreshold',
  'coverageReporters',
  'collectCoverageFrom',
  'coveragePathIgnorePatterns',
];
const project = Object.fromEntries(Object.entries(base).filter(([k]) => !GLOBAL.includes(k)));
const global = Object.fromEntries(Object.entries(base).filter(([k]) => GLOBAL.includes(k)));

module.exports =
  process.env.npm_lifecycle_event === 'test'
    ? {
        ...global,
        projects: [
          { ...project, displayName: 'dist' },
          {
            ...project,
            displayName: 'sources',
            testMatch: componentSuites(),
            setupFiles: [...project.setupFiles, '<rootDir>/test/sources-env.ts'],
          },
        ],
      }
    : base;
