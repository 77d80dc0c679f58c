// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      '.azure-package/**',
      'reports/**',
      '.stryker-tmp/**',
      'scripts/**',
      '*.js',
      '*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // jest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any` by design.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The scoring core is pure: typed arrays in, typed arrays out. No I/O, no environment, no clock.
    files: ['src/scoring/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'fs',
            'node:fs',
            'fs/promises',
            'node:fs/promises',
            'path',
            'node:path',
            'os',
            'node:os',
            'child_process',
            'node:child_process',
            'net',
            'node:net',
            'http',
            'node:http',
            'https',
            'node:https',
            'process',
            'node:process',
            'worker_threads',
            'node:worker_threads',
            'mssql',
            'tedious',
            'better-sqlite3',
            '@azure/functions',
          ],
          patterns: [
            '../store/*',
            '../job/*',
            '../functions/*',
            '../cli/*',
            '../config/*',
            '@opentelemetry/*',
            '@azure/*',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'require'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The run clock is an argument.' },
      ],
    },
  },
);
