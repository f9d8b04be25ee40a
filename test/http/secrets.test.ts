// Secrets never reach an error message: header values are checked when the client is built, and
// settingsFromEnv says what is wrong with a variable without printing it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSettingsError, settingsFromEnv } from "../../runtime/http/index.js";
import { TestClient, fastSettings } from "./test-client.js";

const SECRET = "pnu_S3CRET";
const URL_ONLY = { PREFECT_API_URL: "http://127.0.0.1:4200/api" };

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("header values that would split a header are refused when the client is built", () => {
  let server: Server;
  let baseUrl: string;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ["apiKey with CR/LF", { apiKey: `${SECRET}\r\nX-Evil: 1` }, /apiKey/],
    ["apiKey with NUL", { apiKey: `${SECRET}\0` }, /apiKey/],
    ["apiKey outside Latin-1", { apiKey: `${SECRET}€` }, /apiKey/],
    ["a custom header value with LF", { headers: { "X-Proxy-Token": `${SECRET}\nX-Evil: 1` } }, /headers: the value of X-Proxy-Token/],
    ["a custom header name with a space", { headers: { "X Team": SECRET } }, /headers: "X Team" is not a valid header name/],
  ])("%s: ClientSettingsError without the value", (_what, overrides, message) => {
    const error = thrown(() => new TestClient(fastSettings(baseUrl, overrides)));
    expect(error).toBeInstanceOf(ClientSettingsError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("S3CRET");
    expect(requests).toBe(0);
  });

  it("an auth string may hold any text: it is sent base64-encoded", async () => {
    const client = new TestClient(fastSettings(baseUrl, { authString: "admin:pa\nss€", csrfEnabled: false }));
    await client.call("get", "/health");
    await client[Symbol.asyncDispose]();
    expect(requests).toBe(1);
  });
});

describe("baseUrl", () => {
  it.each([
    ["http://127.0.0.1:4200/api?x=1", /has a query string/],
    ["http://127.0.0.1:4200/api?", /has a query string/],
    ["http://127.0.0.1:4200/api#top", /has a fragment/],
    ["ftp://127.0.0.1/api", /is not an http\(s\) URL/],
  ])("refuses %s", (baseUrl, message) => {
    expect(() => new TestClient({ baseUrl })).toThrow(message);
    expect(() => settingsFromEnv({ PREFECT_API_URL: baseUrl })).toThrow(message);
  });

  it.each(["ftp://user:PW_S3CRET@host/api", "http://user:PW_S3CRET@host/api", "http://user:PW_S3CRET@[::1/api", "http:// user:PW_S3CRET@host"])(
    "never echoes the password of %s",
    (baseUrl) => {
      for (const error of [thrown(() => new TestClient({ baseUrl })), thrown(() => settingsFromEnv({ PREFECT_API_URL: baseUrl }))]) {
        expect(error).toBeInstanceOf(ClientSettingsError);
        expect(error.message).not.toContain("S3CRET");
      }
    },
  );
});

describe("settingsFromEnv never echoes a secret variable", () => {
  it.each([
    ["not JSON", `{"X-Proxy-Token": "${SECRET}"`],
    ["not an object", `["${SECRET}"]`],
    ["a non-string value", `{"X-Proxy-Token": ["${SECRET}"]}`],
    ["a string", `"${SECRET}"`],
  ])("PREFECT_CLIENT_CUSTOM_HEADERS %s", (_what, value) => {
    const error = thrown(() => settingsFromEnv({ ...URL_ONLY, PREFECT_CLIENT_CUSTOM_HEADERS: value }));
    expect(error).toBeInstanceOf(ClientSettingsError);
    expect(error.message).toMatch(/^Invalid value for PREFECT_CLIENT_CUSTOM_HEADERS: /);
    expect(error.message).not.toContain("S3CRET");
  });

  it("PREFECT_API_KEY with a line break fails when the client is built, without the key", () => {
    const settings = settingsFromEnv({ ...URL_ONLY, PREFECT_API_KEY: `${SECRET}\r\nX: y` });
    const error = thrown(() => new TestClient(settings));
    expect(error).toBeInstanceOf(ClientSettingsError);
    expect(error.message).not.toContain("S3CRET");
  });
});
