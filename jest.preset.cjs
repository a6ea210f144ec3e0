/**
 * The one jest preset: every package's jest.config.cjs spreads it.
 * TypeScript is compiled by @swc/jest (no type-checking here: `pnpm typecheck` does that),
 * and `@zs/*` imports resolve to the siblings' `src/` through the `source` export condition,
 * so tests never need a prior build.
 */
module.exports = {
  testEnvironment: "node",
  testEnvironmentOptions: { customExportConditions: ["source", "node", "require", "default"] },
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  moduleFileExtensions: ["ts", "js", "cjs", "json"],
  // Sources are ESM and import siblings with the `.js` suffix Node needs; jest runs them as CJS.
  // Dynamic `import(fileUrl)` becomes `require` under jest; map the URL back to a path.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1", "^file://(/.*)$": "$1" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  testTimeout: 30000,
};
