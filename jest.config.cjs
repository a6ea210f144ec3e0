/** `pnpm test`: one jest run over every package, each with its own config. */
module.exports = {
  projects: ["<rootDir>/packages/*/jest.config.cjs", "<rootDir>/apps/*/jest.config.cjs", "<rootDir>/examples/*/jest.config.cjs"],
};
