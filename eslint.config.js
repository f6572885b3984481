// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const CLOCK_ONLY = 'Time, timers and randomness come from the injected Clock (lib/token/clock.ts).';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'sample-app/dist/',
      'bench/dist/',
      'bench/results/',
      'docs/api/',
      '.scratch/',
      '.api-temp/',
      'test/compat/',
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
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Time and chance come from the injected Clock, so that every timing rule runs on the manual
    // clock too. Only the system clock itself and the Checkout simulator, a stand-in server on
    // real time (lib/fake-dintero/, and the token endpoint fake it is built on), read them directly.
    files: ['lib/**/*.ts'],
    ignores: ['lib/token/clock.ts', 'lib/testing/fake-*.ts', 'lib/fake-dintero/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...[
          ['Date', 'now'],
          ['performance', 'now'],
          ['Math', 'random'],
          ['globalThis', 'setTimeout'],
          ['globalThis', 'setInterval'],
        ].map(([object, property]) => ({ object, property, message: CLOCK_ONLY })),
      ],
      'no-restricted-globals': ['error', ...['setTimeout', 'setInterval'].map((name) => ({ name, message: CLOCK_ONLY }))],
      'no-restricted-syntax': [
        'error',
        ...["NewExpression[callee.name='Date'][arguments.length=0]", "CallExpression[callee.name='Date']"].map((selector) => ({
          selector,
          message: CLOCK_ONLY,
        })),
      ],
      'no-restricted-imports': [
        'error',
        ...['timers', 'timers/promises', 'node:timers', 'node:timers/promises'].map((name) => ({ name, message: CLOCK_ONLY })),
      ],
    },
  },
  {
    // Plain JavaScript (fixtures run in child processes, this config) is linted without types.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    // Node scripts the package.json scripts run: they report on the console.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { URL: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
  {
    // The sample app's page scripts run in the browser.
    files: ['sample-app/public/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', fetch: 'readonly' } },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'sample-app/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
  {
    // HTTP answers in tests (supertest bodies) are untyped JSON, asserted field by field.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
