// settingsFromEnv, setting validation, the static headers and the retry delay rules (no network).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { staticHeaders } from "../../runtime/http/headers.js";
import { ClientSettingsError, settingsFromEnv } from "../../runtime/http/index.js";
import { classifyNetworkError, parseRetryAfter, retryDelayMs } from "../../runtime/http/retry.js";
import { TestClient } from "./test-client.js";

const runtimeVersion = (JSON.parse(readFileSync(new URL("../../runtime/package.json", import.meta.url), "utf8")) as { version: string }).version;

const URL_ONLY = { PREFECT_API_URL: "http://127.0.0.1:4200/api" };

describe("settingsFromEnv", () => {
  it("requires PREFECT_API_URL, with Prefect's message", () => {
    expect(() => settingsFromEnv({})).toThrow(ClientSettingsError);
    expect(() => settingsFromEnv({ PREFECT_API_URL: "  " })).toThrow(/^No Prefect API URL provided/);
  });

  it("reads only what is set", () => {
    expect(settingsFromEnv(URL_ONLY)).toEqual({ baseUrl: "http://127.0.0.1:4200/api" });
  });

  it("reads every PREFECT_* variable it honours", () => {
    const settings = settingsFromEnv({
      ...URL_ONLY,
      PREFECT_API_KEY: "pnu_key",
      PREFECT_API_AUTH_STRING: "admin:pass",
      PREFECT_API_REQUEST_TIMEOUT: "2.5",
      PREFECT_CLIENT_MAX_RETRIES: "0",
      PREFECT_CLIENT_RETRY_EXTRA_CODES: "404, 500",
      PREFECT_CLIENT_RETRY_JITTER_FACTOR: "0",
      PREFECT_CLIENT_CSRF_SUPPORT_ENABLED: "False",
      PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-Team": "data"}',
    });
    expect(settings).toEqual({
      baseUrl: "http://127.0.0.1:4200/api",
      apiKey: "pnu_key",
      authString: "admin:pass",
      timeoutMs: 2500,
      maxRetries: 0,
      retryExtraCodes: [404, 500],
      retryJitterFactor: 0,
      csrfEnabled: false,
      headers: { "X-Team": "data" },
    });
    expect(settingsFromEnv({ ...URL_ONLY, PREFECT_CLIENT_RETRY_EXTRA_CODES: "[429]" }).retryExtraCodes).toEqual([429]);
  });

  it.each([
    ["PREFECT_API_URL", "localhost:4200"],
    ["PREFECT_API_REQUEST_TIMEOUT", "soon"],
    ["PREFECT_API_REQUEST_TIMEOUT", "0"],
    ["PREFECT_CLIENT_MAX_RETRIES", "-1"],
    ["PREFECT_CLIENT_MAX_RETRIES", "2.5"],
    ["PREFECT_CLIENT_RETRY_EXTRA_CODES", "404,abc"],
    ["PREFECT_CLIENT_RETRY_EXTRA_CODES", "99"],
    ["PREFECT_CLIENT_RETRY_JITTER_FACTOR", "-0.1"],
    ["PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "maybe"],
    ["PREFECT_CLIENT_CUSTOM_HEADERS", "X-Team: data"],
    ["PREFECT_CLIENT_CUSTOM_HEADERS", '{"X-Count": 1}'],
  ])("rejects %s=%s with an error naming the variable", (name, value) => {
    const env = { ...URL_ONLY, [name]: value };
    expect(() => settingsFromEnv(env)).toThrow(ClientSettingsError);
    expect(() => settingsFromEnv(env)).toThrow(new RegExp(`^Invalid value for ${name}: `));
  });

  it("never echoes secrets (they are not validated, so they cannot be in an error)", () => {
    const env = { ...URL_ONLY, PREFECT_API_KEY: "pnu_SECRET", PREFECT_CLIENT_MAX_RETRIES: "x" };
    expect(() => settingsFromEnv(env)).toThrow(/^(?!.*pnu_SECRET)/s);
  });
});

describe("constructor settings", () => {
  it.each([
    [{ baseUrl: "" }, /No API URL provided/],
    [{ baseUrl: "not a url" }, /baseUrl/],
    [{ baseUrl: "http://user:pw@host/api" }, /holds user:password/],
    [{ baseUrl: "http://h", timeoutMs: 0 }, /timeoutMs/],
    [{ baseUrl: "http://h", maxRetries: -1 }, /maxRetries/],
    [{ baseUrl: "http://h", retryExtraCodes: [1000] }, /retryExtraCodes/],
  ])("rejects %j", (settings, message) => {
    expect(() => new TestClient(settings)).toThrow(message);
  });

  it("does not echo credentials from the URL", () => {
    expect(() => new TestClient({ baseUrl: "http://user:pw@host/api" })).toThrow(/^(?!.*pw@)/s);
  });
});

describe("staticHeaders", () => {
  it("Basic wins over Bearer; custom headers replace others case-insensitively", () => {
    const headers = staticHeaders(
      { baseUrl: "x", apiKey: "k", authString: "a:b", headers: { authorization: "Custom x", "X-A": "1" } },
      () => undefined,
    );
    expect(headers).toEqual({
      "X-PREFECT-API-VERSION": "0.8.4",
      "User-Agent": `inject-client/${runtimeVersion} (API 0.8.4)`,
      authorization: "Custom x",
      "X-A": "1",
    });
    expect(staticHeaders({ baseUrl: "x", apiKey: "k", authString: "a:b" }, () => undefined).Authorization).toBe(
      `Basic ${Buffer.from("a:b").toString("base64")}`,
    );
    expect(staticHeaders({ baseUrl: "x", apiKey: "k" }, () => undefined).Authorization).toBe("Bearer k");
  });
});

describe("retry rules", () => {
  it("backs off 2**retry units; jitter keeps the delay within [0.82x, 1.2x]", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, null, 1000, 0))).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect(retryDelayMs(1, null, 1000, 0.2, () => 0)).toBeCloseTo(1640);
    expect(retryDelayMs(1, null, 1000, 0.2, () => 1)).toBeCloseTo(2400);
    expect(retryDelayMs(1, null, 0, 0.2)).toBe(0);
  });

  it("Retry-After wins: seconds or an HTTP date, jittered upwards only", () => {
    expect(retryDelayMs(3, "2", 1000, 0.2, () => 0)).toBe(2000);
    expect(retryDelayMs(3, "2", 1000, 0.2, () => 1)).toBeCloseTo(2400);
    expect(retryDelayMs(3, "0", 1000, 0.2)).toBe(0);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("classifies undici failures", () => {
    const fetchFailed = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: { code } });
    expect(classifyNetworkError(fetchFailed("ECONNRESET"))).toBe("transient");
    expect(classifyNetworkError(fetchFailed("UND_ERR_SOCKET"))).toBe("transient");
    expect(classifyNetworkError(fetchFailed("UND_ERR_HEADERS_TIMEOUT"))).toBe("timeout");
    expect(classifyNetworkError(fetchFailed("ECONNREFUSED"))).toBe("connect");
    expect(classifyNetworkError(new TypeError("Invalid URL"))).toBeUndefined();
  });
});
