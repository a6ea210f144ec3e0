import { endQuietlyWhenStdoutCloses } from "./closed-stdout.js";
import { runCli } from "./program.js";

endQuietlyWhenStdoutCloses();
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color,
});
