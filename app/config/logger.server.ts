/** The one logger. Structured JSON lines; secrets and shoppers' personal data are never passed to it. */
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  redact: {
    paths: ["*.accessToken", "*.password", "*.secret", "*.email", "*.phone", "*.token", "headers.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});
