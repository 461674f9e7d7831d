/** The Admin API version every operation is written and validated against. */
export const API_VERSION_STRING = "2025-01";
