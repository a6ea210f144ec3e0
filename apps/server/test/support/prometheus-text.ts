/** One sample line of Prometheus' text format: its metric name, labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const METRIC_NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]*";
/** A label value: anything but a quote, a backslash or a newline, unless escaped as \\ \" \n. */
const LABEL_VALUE = String.raw`"(?:[^"\\\n]|\\[\\"n])*"`;
const LABEL = `${LABEL_NAME}=${LABEL_VALUE}`;
const VALUE = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN|Nan`;
const SAMPLE_LINE = new RegExp(`^(${METRIC_NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP_LINE = new RegExp(`^# HELP (${METRIC_NAME}) .*$`);
const TYPE_LINE = new RegExp(`^# TYPE (${METRIC_NAME}) (counter|gauge|histogram|summary|untyped)$`);
const LABEL_PAIRS = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, "g");

/** The samples a family of `type` may have: the name itself, or the histogram's and summary's parts. */
function familyOf(sample: string, types: Map<string, string>): string | undefined {
  if (types.has(sample)) return sample;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const family = sample.slice(0, -suffix.length);
    if (sample.endsWith(suffix) && (types.get(family) === "histogram" || (suffix !== "_bucket" && types.get(family) === "summary"))) return family;
  }
  return undefined;
}

/**
 * Parses Prometheus' text exposition format (version 0.0.4) strictly, throwing at the first
 * line a Prometheus server would refuse or misread: a line of no known form, a sample without
 * its family's `# TYPE` before it, a family typed twice, a sample repeated, a histogram
 * bucket without `le`.
 */
export function parsePrometheusText(text: string): Sample[] {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const types = new Map<string, string>();
  const seen = new Set<string>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split("\n")
    .forEach((line, index) => {
      const where = `line ${index + 1}: ${line.slice(0, 200)}`;
      if (line === "" || HELP_LINE.test(line)) return;
      const typed = TYPE_LINE.exec(line);
      if (typed) {
        if (types.has(typed[1]!)) throw new Error(`family typed twice, ${where}`);
        types.set(typed[1]!, typed[2]!);
        return;
      }
      if (line.startsWith("#")) throw new Error(`unknown comment, ${where}`);
      const match = SAMPLE_LINE.exec(line);
      if (!match) throw new Error(`not a sample line, ${where}`);
      const [, name, labelText = "", valueText] = match;
      if (familyOf(name!, types) === undefined) throw new Error(`sample before its # TYPE, ${where}`);
      const labels: Record<string, string> = {};
      for (const [, labelName, quoted] of labelText.matchAll(LABEL_PAIRS)) {
        if (labelName! in labels) throw new Error(`label repeated, ${where}`);
        labels[labelName!] = quoted!.slice(1, -1).replace(/\\(.)/g, (_, escaped: string) => (escaped === "n" ? "\n" : escaped));
      }
      if (name!.endsWith("_bucket") && !("le" in labels)) throw new Error(`bucket without le, ${where}`);
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) throw new Error(`sample repeated, ${where}`);
      seen.add(key);
      samples.push({ name: name!, labels, value: /^nan$/i.test(valueText!) ? Number.NaN : Number(valueText!.replace(/Inf$/, "Infinity")) });
    });
  return samples;
}
