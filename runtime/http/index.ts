export * from "./client.js";
export * from "./types.js";
export { settingsFromEnv, ClientSettingsError, PREFECT_API_VERSION, DEFAULT_RETRY_CODES } from "./settings.js";
export { HTTPRequestError, HTTPTimeoutError, ResponseTooLargeError, HTTPRedirectError, InvalidResponseBodyError } from "./errors.js";
export type { HTTPRequestErrorInit } from "./errors.js";
export { PreparedRequest } from "./prepared-request.js";
export { RequestParameterError } from "./serialize.js";
