// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const miniprogramGlobals = {
  wx: 'readonly',
  tt: 'readonly',
  Component: 'readonly',
  Behavior: 'readonly',
  Page: 'readonly',
  App: 'readonly',
  getApp: 'readonly',
  getCurrentPages: 'readonly',
  WechatMiniprogram: 'readonly',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'server/dist/**',
      '.build/**',
      'coverage/**',
      'test/golden/**',
      'preview/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.es2021, ...miniprogramGlobals } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // utils/ is pure TypeScript: it runs in plain Node and never touches a platform global.
    files: ['utils/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'wx', message: 'utils/ is platform-free: route wx calls through a platform adapter.' },
        { name: 'tt', message: 'utils/ is platform-free: route tt calls through a platform adapter.' },
        { name: 'getCurrentPages', message: 'utils/ is platform-free.' },
      ],
    },
  },
  {
    files: [
      'test/**/*.{ts,js}',
      'server/**/*.ts',
      'emulator/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'gulpfile.ts',
      'preview/**/*.{ts,js,mjs}',
      '*.js',
      '*.mjs',
    ],
    languageOptions: { globals: { ...globals.node, ...globals.jest, ...globals.browser } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // command-line tools may print; shipped code may not
    files: [
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'gulpfile.ts',
      'server/cli.ts',
      'emulator/cli.ts',
      'preview/cli.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);
