// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Module boundaries: which of our folders each layer may import. */
const boundaries = [
  { files: ['src/core/**'], banned: ['**/sources/**', '**/extract/**', '**/gazetteer/**', '**/actors/**', '**/resolve/**', '**/store/**', '**/api/**', '**/cli/**', '**/web/**', '**/pipeline/**'], why: 'core imports nothing of ours' },
  { files: ['src/extract/**', 'src/gazetteer/**', 'src/actors/**', 'src/resolve/**', 'src/alerts/**'], banned: ['**/store/**', '**/api/**', '**/cli/**', '**/web/**', '**/sources/**'], why: 'stages are pure functions over records: no storage, transport or I/O sources' },
  { files: ['src/auth/**'], banned: ['**/sources/**', '**/extract/**', '**/gazetteer/**', '**/actors/**', '**/resolve/**', '**/store/**', '**/api/**', '**/cli/**', '**/web/**', '**/pipeline/**', '**/export/**', '**/datasets/**'], why: 'auth is pure logic over core: roles, policy, hashing, limits' },
  { files: ['src/store/**'], banned: ['**/api/**', '**/cli/**', '**/web/**', '**/extract/**'], why: 'the store knows records, not how they were made or served' },
  { files: ['src/api/**'], banned: ['**/cli/**', '**/web/**'], why: 'the API is a value the CLI serves' },
  { files: ['web/**'], banned: ['**/src/store/**', '**/src/api/**', '**/src/cli/**', 'better-sqlite3', 'pg'], why: 'the browser app talks to the API only' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a const array and a literal union.' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  ...boundaries.map(({ files, banned, why }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: banned, message: `Module boundary: ${why}.` }] }],
    },
  })),
  {
    files: ['bin/**/*.js', 'eslint.config.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
