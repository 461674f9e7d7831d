/**
 * The analysts' churn CLI: fit the BG/NBD (and Gamma-Gamma) models to a file, or score one history.
 * `npm run churn -- --help` for usage. Bad input ends with one line on stderr and exit code 2.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import Papa from "papaparse";
import { z } from "zod";
import {
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  probabilityAlive,
  summarizeTransactions,
  type OrderRecord,
  type TimeUnit,
} from "~/domain/churn";

const HELP = `Usage:
  npm run churn -- fit --summary FILE.csv [--unit weeks|days]
      FILE has a header with the columns ID, frequency, recency, T (names in any case; x and t_x are
      accepted for frequency and recency). With a zbar or monetary column (mean repeat order value,
      in currency units) the Gamma-Gamma spend model is fitted too. --unit only labels the output.

  npm run churn -- fit --transactions FILE --observation-end YYYY-MM-DD [--unit weeks|days]
      FILE holds one order per line: customer id, date (YYYYMMDD or YYYY-MM-DD), optional amount (in
      currency units), comma- or whitespace-separated (CDNOW_master.txt works as is). An optional
      header names the columns (customer_id/id, date, amount/dollar_value/value/total); without one,
      the first column is the customer, the second the date and the last (of 3 or more) the amount.
      Orders after the observation end are ignored. Times are measured in --unit (default weeks).

  Fit prints JSON: { "model": "bgnbd", "params": { r, alpha, a, b }, "logLikelihood", "customers",
  "timeUnit", "converged" }, plus "gammaGamma": { "params": { p, q, v }, ... } when amounts are known;
  v is in minor units (cents), p and q have no unit.

  npm run churn -- predict --params '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}'
                           --frequency 2 --recency 30.43 --T 38.86 --horizon 39
      Scores one history (times in the unit the parameters were fitted in) and prints JSON:
      { "probabilityAlive", "expectedPurchases", "horizon" }.

  npm run churn -- --help      this text`;

/** A problem with what the user gave us: reported in one line, exit code 2. */
export class InputError extends Error {}

export interface SummaryRow {
  id: string;
  frequency: number;
  recency: number;
  T: number;
  /** Mean repeat order value in minor units, when the file has it. */
  monetaryMinor?: number;
}

const normalizeHeader = (name: string) => name.trim().toLowerCase().replace(/[^a-z0-9]/g, "");

/** `where` says where the text came from in the message: "line 5", "--horizon". */
function parseNumber(text: string | undefined, what: string, where: string): number {
  const value = Number(text?.trim());
  if (text === undefined || text.trim() === "" || !Number.isFinite(value)) {
    throw new InputError(`${where}: ${what} is not a number: "${text ?? ""}"`);
  }
  return value;
}

const toMinorUnits = (amount: number) => Math.round(amount * 100);

/** Parses a summary CSV (ID, frequency, recency, T[, zbar|monetary]). */
export function parseSummaryTable(text: string): SummaryRow[] {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), {
    header: true,
    skipEmptyLines: true,
    transformHeader: normalizeHeader,
  });
  const columns = parsed.meta.fields ?? [];
  const pick = (...names: string[]) => names.find((name) => columns.includes(name));
  const id = pick("id", "customerid");
  const frequency = pick("frequency", "x");
  const recency = pick("recency", "tx");
  const T = pick("t");
  const monetary = pick("zbar", "monetary", "monetaryvalue");
  const missing = [!id && "ID", !frequency && "frequency", !recency && "recency", !T && "T"].filter(Boolean);
  if (missing.length > 0) throw new InputError(`summary file has no ${missing.join(", ")} column`);
  if (parsed.data.length === 0) throw new InputError("summary file has no customers");
  return parsed.data.map((row, i) => {
    const line = i + 2;
    const summary: SummaryRow = {
      id: row[id!],
      frequency: parseNumber(row[frequency!], "frequency", `line ${line}`),
      recency: parseNumber(row[recency!], "recency", `line ${line}`),
      T: parseNumber(row[T!], "T", `line ${line}`),
    };
    if (!Number.isInteger(summary.frequency) || summary.frequency < 0) {
      throw new InputError(`line ${line}: frequency must be a whole number >= 0, got ${summary.frequency}`);
    }
    if (summary.recency < 0 || summary.T < summary.recency || (summary.frequency === 0 && summary.recency !== 0)) {
      throw new InputError(`line ${line}: need 0 <= recency <= T (and recency 0 when frequency is 0)`);
    }
    if (monetary) summary.monetaryMinor = toMinorUnits(parseNumber(row[monetary], "monetary value", `line ${line}`));
    return summary;
  });
}

function parseDate(text: string | undefined, where: string): Date {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|T)/.exec(text?.trim() ?? "");
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.getUTCDate() !== Number(match[3]) || date.getUTCMonth() !== Number(match[2]) - 1) {
    throw new InputError(`${where}: not a date (YYYYMMDD or YYYY-MM-DD): "${text ?? ""}"`);
  }
  return date;
}

const ID_HEADERS = ["customerid", "customer", "id"];
const DATE_HEADERS = ["date", "orderdate", "orderedat", "createdat"];
const AMOUNT_HEADERS = ["amount", "dollarvalue", "value", "total", "revenue"];

/** Parses an order file (CSV or whitespace-separated, with or without header) into order records. */
export function parseTransactionTable(text: string): { orders: OrderRecord[]; hasAmounts: boolean } {
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((line) => line.trim() !== "") ?? "";
  const rows: { cells: string[]; line: number }[] = firstLine.includes(",")
    ? Papa.parse<string[]>(text, { skipEmptyLines: false }).data.map((cells, i) => ({ cells, line: i + 1 }))
    : lines.map((line, i) => ({ cells: line.trim().split(/\s+/), line: i + 1 }));
  const records = rows.filter(({ cells }) => cells.some((cell) => cell.trim() !== ""));
  if (records.length === 0) throw new InputError("transaction file is empty");

  const header = records[0].cells.map(normalizeHeader);
  const hasHeader = !/^\d{4}-?\d{2}-?\d{2}/.test(records[0].cells[1]?.trim() ?? "");
  let idColumn = 0;
  let dateColumn = 1;
  let amountColumn: number | undefined = header.length >= 3 ? header.length - 1 : undefined;
  if (hasHeader) {
    const find = (names: string[]) => header.findIndex((name) => names.includes(name));
    idColumn = find(ID_HEADERS);
    dateColumn = find(DATE_HEADERS);
    const amount = find(AMOUNT_HEADERS);
    amountColumn = amount >= 0 ? amount : undefined;
    if (idColumn < 0 || dateColumn < 0) {
      throw new InputError(`transaction file header needs a customer id and a date column, got: ${records[0].cells.join(", ")}`);
    }
  }
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) throw new InputError("transaction file has no orders");
  const orders = body.map(({ cells, line }) => {
    const customerId = cells[idColumn]?.trim();
    if (!customerId) throw new InputError(`line ${line}: no customer id`);
    const order: OrderRecord = { customerId, orderedAt: parseDate(cells[dateColumn], `line ${line}`) };
    if (amountColumn !== undefined) order.amountMinor = toMinorUnits(parseNumber(cells[amountColumn], "amount", `line ${line}`));
    return order;
  });
  return { orders, hasAmounts: amountColumn !== undefined };
}

function readInput(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function parseUnit(unit: string | undefined): TimeUnit {
  if (unit === undefined) return "weeks";
  if (unit === "weeks" || unit === "days") return unit;
  throw new InputError(`--unit must be weeks or days, got "${unit}"`);
}

function fit(options: Record<string, string | boolean | undefined>) {
  const timeUnit = parseUnit(options.unit as string | undefined);
  let customers: { frequency: number; recency: number; T: number; monetaryMinor?: number }[];
  let hasAmounts: boolean;
  if (typeof options.summary === "string") {
    customers = parseSummaryTable(readInput(options.summary));
    hasAmounts = customers[0].monetaryMinor !== undefined;
  } else if (typeof options.transactions === "string") {
    if (typeof options["observation-end"] !== "string") throw new InputError("--transactions needs --observation-end YYYY-MM-DD");
    const observationEnd = parseDate(options["observation-end"], "--observation-end");
    const parsed = parseTransactionTable(readInput(options.transactions));
    customers = summarizeTransactions(parsed.orders, { observationEnd, timeUnit });
    hasAmounts = parsed.hasAmounts;
    if (customers.length === 0) throw new InputError("no order on or before the observation end");
  } else {
    throw new InputError("fit needs --summary FILE or --transactions FILE (see --help)");
  }
  const bgNbd = fitBgNbd(customers);
  const result: Record<string, unknown> = {
    model: "bgnbd",
    params: bgNbd.params,
    logLikelihood: bgNbd.logLikelihood,
    customers: bgNbd.customers,
    timeUnit,
    converged: bgNbd.converged,
  };
  if (hasAmounts && customers.some((c) => c.frequency > 0 && c.monetaryMinor! > 0)) {
    const spend = fitGammaGamma(
      customers
        .filter((c) => c.monetaryMinor! > 0)
        .map((c) => ({ frequency: c.frequency, averageOrderValueMinor: c.monetaryMinor! })),
    );
    result.gammaGamma = { params: spend.params, logLikelihood: spend.logLikelihood, customers: spend.customers, converged: spend.converged };
  }
  return result;
}

const positive = z.number().positive();
const paramsSchema = z.object({ r: positive, alpha: positive, a: positive, b: positive });

function predict(options: Record<string, string | boolean | undefined>) {
  if (typeof options.params !== "string") throw new InputError("predict needs --params '{\"r\":..,\"alpha\":..,\"a\":..,\"b\":..}'");
  let json: unknown;
  try {
    json = JSON.parse(options.params);
  } catch {
    throw new InputError("--params is not valid JSON");
  }
  const params = paramsSchema.safeParse(json);
  if (!params.success) {
    throw new InputError(`--params needs positive numbers r, alpha, a, b (${params.error.issues.map((i) => i.path.join(".") || i.message).join(", ")})`);
  }
  const number = (name: string) => {
    const value = options[name];
    if (typeof value !== "string") throw new InputError(`predict needs --${name}`);
    return parseNumber(value, "value", `--${name}`);
  };
  const history = { frequency: number("frequency"), recency: number("recency"), T: number("T") };
  const horizon = number("horizon");
  return {
    probabilityAlive: probabilityAlive(params.data, history),
    expectedPurchases: expectedPurchases(params.data, history, horizon),
    horizon,
  };
}

export function main(argv: string[]): number {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        summary: { type: "string" },
        transactions: { type: "string" },
        "observation-end": { type: "string" },
        unit: { type: "string" },
        params: { type: "string" },
        frequency: { type: "string" },
        recency: { type: "string" },
        T: { type: "string" },
        horizon: { type: "string" },
      },
    });
    const [command] = positionals;
    if (values.help || command === "help") {
      console.log(HELP);
      return 0;
    }
    if (command === "fit") console.log(JSON.stringify(fit(values), null, 2));
    else if (command === "predict") console.log(JSON.stringify(predict(values), null, 2));
    else throw new InputError(command ? `unknown command "${command}" (fit, predict or --help)` : "no command given (fit, predict or --help)");
    return 0;
  } catch (error) {
    // The domain rejects impossible data with RangeError, and parseArgs bad options with an
    // ERR_PARSE_ARGS code: both are the user's input, not a bug.
    const isInputError =
      error instanceof InputError ||
      error instanceof RangeError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`churn: ${(error as Error).message}`);
    return isInputError ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = main(process.argv.slice(2));
}
