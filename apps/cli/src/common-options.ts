import { Option } from "commander";
import { READ_FORMATS } from "./formats.js";

/** `--workspace NAME`: acts in that workspace instead of the active one, for this call. */
export const workspaceOption = () => new Option("--workspace <name>", "act in this workspace instead of the active one");

/** `-o FORMAT` of a read command. @default table */
export const outputOption = (formats: readonly string[] = READ_FORMATS) => new Option("-o, --output <format>", "output format").choices(formats).default("table");

/** Accumulates a repeatable option's values. */
export const collect = (value: string, previous: string[]) => [...previous, value];

/** The validation levels of references.md (core checks them again: this only words the usage error). */
const VALIDATION_LEVELS = ["NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"];

/** `--level LEVEL`: how strictly references are checked. @default `$ZS_SECRET_VALIDATION_LEVEL`, else SECRET_AND_KEY_EXISTS */
export const levelOption = () =>
  new Option("--level <level>", "validation level (default: $ZS_SECRET_VALIDATION_LEVEL, else SECRET_AND_KEY_EXISTS)").choices(VALIDATION_LEVELS);
