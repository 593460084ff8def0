// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'tests/fixtures/**', '.bench/**', 'tests/e2e/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'The renderer reaches main only through src-renderer/src/api/client.ts.' },
            { group: ['**/src-main/main/**', '**/src-main/cli/**', '**/src-main/harness/**', 'node:*'], message: 'Renderer code may import src-main/shared only.' },
          ],
        },
      ],
    },
  },
  {
    // Layering inside the renderer: the data layer, the stores and the helpers import no feature or
    // view (features subscribe to them, e.g. to db/mutate.ts's change events), so no import cycle
    // runs through them.
    files: ['src-renderer/src/db/**/*.ts', 'src-renderer/src/store/**/*.ts', 'src-renderer/src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'The renderer reaches main only through src-renderer/src/api/client.ts.' },
            { group: ['**/src-main/main/**', '**/src-main/cli/**', '**/src-main/harness/**', 'node:*'], message: 'Renderer code may import src-main/shared only.' },
            { group: ['**/features/**', '**/app/**'], message: 'db/, store/ and lib/ import no feature or view; let the feature subscribe instead.' },
          ],
        },
      ],
    },
  },
  {
    // Layering: shared code runs in every process, so it imports no electron, node or DOM-only modules.
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'node:*', 'fs', 'path', 'react', 'react-dom', 'dexie'], message: 'src-main/shared must stay runtime-neutral.' },
            { group: ['**/main/**', '**/cli/**', '**/preload/**', '**/harness/**', '**/src-renderer/**'], message: 'src-main/shared imports nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    // Every IPC handler goes through the sender-checking wrapper in src-main/main/ipc.ts.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/main/ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(handle|handleOnce|on)$/][callee.object.name='ipcMain']",
          message: 'Bind IPC only through registerIpc() in src-main/main/ipc.ts, which checks the sender.',
        },
      ],
    },
  },
  {
    // Tests never import electron; they mock it.
    files: ['tests/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Mock electron with vi.mock; never import it in a test.' }] }],
    },
  },
);
