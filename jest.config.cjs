const fs = require("node:fs");
const path = require("node:path");

/** `pnpm test`: one jest run over every workspace package that has a jest.config.cjs. */
module.exports = {
  // A run-wide setting: under `projects`, a project's own testTimeout is not applied.
  testTimeout: 60000,
  // Most of the time goes to child processes and databases, so both cores are kept busy.
  maxWorkers: 2,
  // Always run tests in workers, never in jest's own process: the HTTPS emulators' tests trust a
  // CA made by their globalSetup through NODE_EXTRA_CA_CERTS, which Node reads only when a process
  // starts (see packages/emulators/jest-global-setup.cjs). Set high enough never to recycle a worker.
  workerIdleMemoryLimit: "2GB",
  projects: ["packages", "apps", "examples"]
    .flatMap((group) => (fs.existsSync(path.join(__dirname, group)) ? fs.readdirSync(path.join(__dirname, group)).map((name) => path.join(__dirname, group, name)) : []))
    .filter((dir) => fs.existsSync(path.join(dir, "jest.config.cjs"))),
};
