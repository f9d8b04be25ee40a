// What a Prefect user's machine already has configured, over HTTP on 127.0.0.1: proxies, profiles,
// Prefect Cloud, TLS, retry visibility, the server version check, attribution headers, connect retries,
// apiHealthcheck and HTTP/2.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProxyAgent, request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FlowRunContext, TaskRunContext } from "../../runtime/context.js";
import { HTTPStatusError } from "../../runtime/errors.js";
import { REQUEST_EVENTS_CHANNEL, type RetryEvent } from "../../runtime/events.js";
import { ClientSettingsError, HTTPRequestError, ServerVersionError, settingsFromEnv, type ClientSettings } from "../../runtime/http/index.js";
import {
  freePort,
  selfSignedCertificate,
  startApi,
  startForwardProxy,
  type ApiServer,
  type Certificate,
  type ForwardProxy,
  type Route,
} from "./prefect-env-servers.js";
import { TestClient, fastSettings } from "./test-client.js";
import { connectRetryDelayMs } from "../../runtime/http/connect-retry.js";

const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];
const ATTRIBUTION_VARIABLES = ["PREFECT__WORKER_ID", "PREFECT__WORKER_NAME", "PREFECT__FLOW_RUN_ID"];

let cert: Certificate;
const servers: { close(): Promise<void> }[] = [];
const clients: TestClient[] = [];
const scratch: string[] = [];
const savedEnv = new Map<string, string | undefined>();

beforeAll(() => {
  cert = selfSignedCertificate();
  // The machine's own proxy or worker variables must not leak into these tests.
  for (const name of [...PROXY_VARIABLES, ...ATTRIBUTION_VARIABLES]) {
    savedEnv.set(name, process.env[name]);
    delete process.env[name];
  }
});
afterAll(() => {
  cert.remove();
  for (const [name, value] of savedEnv)
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c[Symbol.asyncDispose]()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const name of [...PROXY_VARIABLES, ...ATTRIBUTION_VARIABLES]) delete process.env[name];
});

async function api(kind: "http" | "https" | "http2" = "http", route?: Route): Promise<ApiServer> {
  const server = await startApi(kind, route, cert);
  servers.push(server);
  return server;
}
async function proxy(): Promise<ForwardProxy> {
  const started = await startForwardProxy();
  servers.push(started);
  return started;
}
function client(settings: ClientSettings): TestClient {
  const made = new TestClient(settings);
  clients.push(made);
  return made;
}
/** Sets process variables for the client built in `build` (proxies and attribution are read when a client is built). */
function withEnv<T>(vars: Record<string, string>, build: () => T): T {
  Object.assign(process.env, vars);
  try {
    return build();
  } finally {
    for (const name of Object.keys(vars)) delete process.env[name];
  }
}
function prefectHome(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "inject-client-prefect-home-"));
  scratch.push(dir);
  writeFileSync(join(dir, "profiles.toml"), toml);
  return dir;
}
function recordEvents(): { retries: RetryEvent[]; stop(): void } {
  const retries: RetryEvent[] = [];
  const listener = (message: unknown) => {
    if ((message as { type?: string }).type === "retry") retries.push(message as RetryEvent);
  };
  subscribe(REQUEST_EVENTS_CHANNEL, listener);
  return { retries, stop: () => unsubscribe(REQUEST_EVENTS_CHANNEL, listener) };
}

describe("proxies: HTTP_PROXY / HTTPS_PROXY / NO_PROXY (httpx trust_env)", () => {
  it("sends an http:// request through HTTP_PROXY as an absolute URI", async () => {
    const server = await api();
    const forward = await proxy();
    const c = withEnv({ HTTP_PROXY: forward.url }, () => client(fastSettings(server.url, { csrfEnabled: false })));
    expect(await c.call("get", "/flows/")).toEqual({ ok: true });
    expect(forward.seen).toEqual([`GET ${server.url}/flows/`]);
    expect(server.requests).toHaveLength(1);
  });

  it("tunnels an https:// request through HTTPS_PROXY with CONNECT", async () => {
    const server = await api("https");
    const forward = await proxy();
    const c = withEnv({ HTTPS_PROXY: forward.url }, () => client(fastSettings(server.url, { csrfEnabled: false, sslCertFile: cert.certFile })));
    expect(await c.call("get", "/flows/")).toEqual({ ok: true });
    expect(forward.seen).toEqual([`CONNECT 127.0.0.1:${server.port}`]);
    expect(server.requests.map((r) => r.url)).toEqual(["/api/flows/"]);
  });

  it("prefers the lower-case variable, sends proxy credentials as Proxy-Authorization, and never to the server", async () => {
    const server = await api();
    const forward = await proxy();
    const withCredentials = forward.url.replace("http://", "http://user:s3cret@");
    const c = withEnv({ http_proxy: withCredentials, HTTP_PROXY: `http://127.0.0.1:${await freePort()}` }, () =>
      client(fastSettings(server.url, { csrfEnabled: false, maxRetries: 0 })),
    );
    await c.call("get", "/flows/");
    expect(forward.authorizations).toEqual([`Basic ${Buffer.from("user:s3cret").toString("base64")}`]);
    expect(server.requests[0]!.headers["proxy-authorization"]).toBeUndefined();
  });

  it("goes direct for NO_PROXY hosts and with trustEnv: false", async () => {
    const server = await api();
    const forward = await proxy();
    const bypassed = withEnv({ HTTP_PROXY: forward.url, NO_PROXY: "localhost,127.0.0.1" }, () =>
      client(fastSettings(server.url, { csrfEnabled: false })),
    );
    const distrustful = withEnv({ HTTP_PROXY: forward.url }, () => client(fastSettings(server.url, { csrfEnabled: false, trustEnv: false })));
    await bypassed.call("get", "/flows/");
    await distrustful.call("get", "/flows/");
    expect(server.requests).toHaveLength(2);
    expect(forward.seen).toEqual([]);
  });

  it("a proxy URL that does not parse is one ClientSettingsError naming the variable, without its password", () => {
    const error = (() => {
      try {
        withEnv({ HTTPS_PROXY: "http://user:hunter2@[bad" }, () => client(fastSettings("http://127.0.0.1:9/api")));
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ClientSettingsError);
    expect(error!.message).toMatch(/^Invalid value for HTTPS_PROXY: /);
    expect(error!.message).not.toContain("hunter2");
  });

  it("dispatcher: the caller's own undici dispatcher carries every request and is left open on close", async () => {
    const server = await api();
    const forward = await proxy();
    const dispatcher = new ProxyAgent({ uri: forward.url, proxyTunnel: false });
    const c = client(fastSettings(server.url, { csrfEnabled: false, dispatcher }));
    await c.call("get", "/flows/");
    await c[Symbol.asyncDispose]();
    expect(forward.seen).toEqual([`GET ${server.url}/flows/`]);
    // Still usable after the client closed: the client did not close it.
    const after = await request(`${server.url}/health`, { dispatcher });
    expect(after.statusCode).toBe(200);
    await after.body.text();
    await dispatcher.close();
  });
});

describe("profiles: PREFECT_HOME/profiles.toml, PREFECT_PROFILES_PATH, PREFECT_PROFILE", () => {
  it("reads the active profile's URL and key, and the request carries them", async () => {
    const server = await api();
    const home = prefectHome(
      `active = "dev"\n[profiles.dev]\nPREFECT_API_URL = "${server.url}"\nPREFECT_API_KEY = "pnu_from_profile"\nPREFECT_CLIENT_MAX_RETRIES = 2\n`,
    );
    const settings = settingsFromEnv({ PREFECT_HOME: home });
    expect(settings).toMatchObject({ baseUrl: server.url, apiKey: "pnu_from_profile", maxRetries: 2 });
    await client({ ...settings, csrfEnabled: false }).call("get", "/flows/");
    expect(server.requests[0]!.headers.authorization).toBe("Bearer pnu_from_profile");
  });

  it("the environment wins over the profile; PREFECT_PROFILE and PREFECT_PROFILES_PATH pick profile and file", () => {
    const home = prefectHome(
      `active = "dev"\n[profiles.dev]\nPREFECT_API_URL = "http://dev.example/api"\n[profiles.prod]\nPREFECT_API_URL = "http://prod.example/api"\nPREFECT_API_KEY = "pnu_prod"\n`,
    );
    const file = join(home, "profiles.toml");
    expect(settingsFromEnv({ PREFECT_HOME: home, PREFECT_API_URL: "http://env.example/api" }).baseUrl).toBe("http://env.example/api");
    expect(settingsFromEnv({ PREFECT_PROFILES_PATH: file, PREFECT_PROFILE: "prod" })).toEqual({
      baseUrl: "http://prod.example/api",
      apiKey: "pnu_prod",
    });
    expect(settingsFromEnv({ PREFECT_PROFILES_PATH: file, PREFECT_PROFILE: "prod", PREFECT_API_KEY: "pnu_env" }).apiKey).toBe("pnu_env");
    expect(() => settingsFromEnv({ PREFECT_HOME: home }, { profilesPath: false })).toThrow(/^No Prefect API URL provided/);
    // A built-in profile the file does not hold is no profile, as in Prefect.
    expect(() => settingsFromEnv({ PREFECT_HOME: home, PREFECT_PROFILE: "ephemeral" })).toThrow(
      /^No Prefect API URL provided \(nor does profile "ephemeral"/,
    );
  });

  it("errors name the file, profile and key, never a value", () => {
    const bad = prefectHome(
      `active = "dev"\n[profiles.dev]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\nPREFECT_API_KEY = "pnu_topsecret"\nPREFECT_CLIENT_MAX_RETRIES = "-1"\n`,
    );
    expect(() => settingsFromEnv({ PREFECT_HOME: bad })).toThrow(
      `Invalid value for PREFECT_CLIENT_MAX_RETRIES (in profile "dev" of ${join(bad, "profiles.toml")}): expected an integer >= 0, got "-1".`,
    );
    const broken = prefectHome(`active = "dev"\n[profiles.dev]\nPREFECT_API_KEY = "pnu_topsecret\n`);
    const message = (() => {
      try {
        settingsFromEnv({ PREFECT_HOME: broken });
      } catch (error) {
        expect(error).toBeInstanceOf(ClientSettingsError);
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(new RegExp(`^Invalid Prefect profiles file .*profiles\\.toml: not valid TOML at line 3, column \\d+`));
    expect(message).not.toContain("topsecret");
    const dated = prefectHome(`active = "dev"\n[profiles.dev]\nPREFECT_API_KEY = 1979-05-27T07:32:00Z\n`);
    expect(() => settingsFromEnv({ PREFECT_HOME: dated })).toThrow(/PREFECT_API_KEY in \[profiles\.dev\] must be a string.*\(value not shown\)/);
    expect(() => settingsFromEnv({ PREFECT_HOME: bad, PREFECT_PROFILE: "nope" })).toThrow(
      /^PREFECT_PROFILE names profile "nope", which .* does not define \(it has: "dev"\)/,
    );
  });
});

describe("Prefect Cloud: detected by the PREFECT_CLOUD_API_URL prefix", () => {
  it("a Cloud URL fetches no CSRF token and skips the version check; serverType says so", async () => {
    const server = await api();
    const cloudApi = server.url; // stands in for https://api.prefect.cloud/api
    const settings = settingsFromEnv(
      { PREFECT_API_URL: `${cloudApi}/accounts/a/workspaces/w`, PREFECT_CLOUD_API_URL: cloudApi },
      { profilesPath: false },
    );
    const cloud = client({ ...fastSettings(""), ...settings, apiVersion: "0.8.4" });
    expect(cloud.serverType).toBe("cloud");
    await cloud.open();
    await cloud.call("post", "/flows/", { body: { name: "etl" } });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/accounts/a/workspaces/w/flows/"]);

    const selfHosted = client({ ...fastSettings(`${server.url}x`), apiVersion: "0.8.4", cloudApiUrl: cloudApi }); // "/apix" is not under "/api"
    expect(selfHosted.serverType).toBe("server");
    expect(client(fastSettings("https://api.prefect.cloud/api/accounts/a/workspaces/w")).serverType).toBe("cloud");
  });

  it("the same server under a non-Cloud URL gets the CSRF token fetch and the version check", async () => {
    const server = await api();
    const c = client({ ...fastSettings(server.url), apiVersion: "0.8.4" });
    await c.open();
    await c.call("post", "/flows/", { body: { name: "etl" } });
    expect(server.requests.map((r) => `${r.method} ${r.url.replace(/client=[^&]+/, "client=…")}`)).toEqual([
      "GET /api/admin/version",
      "GET /api/csrf-token?client=…",
      "POST /api/flows/",
    ]);
  });
});

describe("TLS: PREFECT_API_SSL_CERT_FILE, SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY", () => {
  it("a self-signed server is refused by default and trusted with each of the three variables", async () => {
    const server = await api("https");
    await expect(client(fastSettings(server.url, { csrfEnabled: false, maxRetries: 0 })).call("get", "/flows/")).rejects.toBeInstanceOf(
      HTTPRequestError,
    );
    for (const env of [
      { PREFECT_API_SSL_CERT_FILE: cert.certFile },
      { SSL_CERT_FILE: cert.certFile },
      { PREFECT_API_TLS_INSECURE_SKIP_VERIFY: "true" },
    ]) {
      const settings = settingsFromEnv({ PREFECT_API_URL: server.url, ...env }, { profilesPath: false });
      expect(await client({ ...fastSettings(""), ...settings, csrfEnabled: false }).call("get", "/flows/")).toEqual({ ok: true });
    }
    expect(server.requests).toHaveLength(3); // the refused handshake never got a request in
  });

  it("an unreadable or non-PEM cert file is one ClientSettingsError naming the variable and path", () => {
    const missing = join(cert.dir, "missing.pem");
    expect(() =>
      settingsFromEnv({ PREFECT_API_URL: "https://127.0.0.1:1/api", PREFECT_API_SSL_CERT_FILE: missing }, { profilesPath: false }),
    ).toThrow(`Cannot read the CA certificate file ${JSON.stringify(missing)} named by PREFECT_API_SSL_CERT_FILE (ENOENT).`);
    expect(() => settingsFromEnv({ PREFECT_API_URL: "https://127.0.0.1:1/api", SSL_CERT_FILE: cert.keyFile }, { profilesPath: false })).toThrow(
      /named by SSL_CERT_FILE holds no PEM certificate/,
    );
    expect(() => client(fastSettings("https://127.0.0.1:1/api", { sslCertFile: missing }))).toThrow(/named by sslCertFile \(ENOENT\)/);
  });
});

describe("retry visibility: retry events and the logger", () => {
  it("publishes attempt, delay and cause before each retry, and logs one debug line per attempt", async () => {
    let calls = 0;
    const server = await api("http", () => (++calls === 1 ? { status: 503, body: { detail: "busy" } } : undefined));
    const lines: string[] = [];
    const events = recordEvents();
    try {
      await client(fastSettings(server.url, { csrfEnabled: false, logger: { debug: (line) => lines.push(line) } })).call("get", "/flows/");
    } finally {
      events.stop();
    }
    expect(events.retries).toEqual([
      {
        type: "retry",
        phase: "request",
        method: "GET",
        url: `${server.url}/flows/`,
        attempt: 1,
        maxAttempts: 6,
        delayMs: expect.any(Number),
        status: 503,
      },
    ]);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^GET ${server.url}/flows/: attempt 1/6 failed with HTTP 503; retrying in \\d+\\.\\d s$`)),
    ]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("server version check (PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED)", () => {
  it("open() asks GET /admin/version once per server, and a major mismatch is a clear ServerVersionError", async () => {
    const server = await api();
    await client({ ...fastSettings(server.url), apiVersion: "0.8.4" }).open();
    await client({ ...fastSettings(server.url), apiVersion: "0.8.4" }).open();
    expect(server.requests.map((r) => r.url)).toEqual(["/api/admin/version"]);

    const old = await api("http", (r) => (r.url.endsWith("/admin/version") ? { body: "2.19.3" } : undefined));
    const error = await client({ ...fastSettings(old.url), apiVersion: "0.8.4" })
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerVersionError);
    expect((error as Error).message).toBe(
      `Found incompatible versions: this client speaks Prefect 3.x's API, the server at ${old.url} is Prefect 2.19.3. Major versions must match (set PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED=false (serverVersionCheck: false) to skip this check).`,
    );
  });

  it("is off with the variable set to false and for clients without a Prefect apiVersion", async () => {
    const server = await api("http", () => ({ body: "2.0.0" }));
    const settings = settingsFromEnv({ PREFECT_API_URL: server.url, PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED: "false" }, { profilesPath: false });
    await client({ ...fastSettings(""), ...settings, apiVersion: "0.8.4" }).open();
    await client(fastSettings(server.url)).open();
    expect(server.requests).toEqual([]);
  });
});

describe("attribution headers (Prefect's test_attribution.py)", () => {
  const ids = {
    worker: "0b7a4c36-0000-4000-8000-000000000001",
    flowRun: "0b7a4c36-0000-4000-8000-000000000002",
    envFlowRun: "0b7a4c36-0000-4000-8000-000000000003",
  };

  it("sends worker and flow-run ids from PREFECT__* variables; a run context wins over the variable", async () => {
    const server = await api();
    const c = withEnv({ PREFECT__WORKER_ID: ids.worker, PREFECT__WORKER_NAME: "worker-a", PREFECT__FLOW_RUN_ID: ids.envFlowRun }, () =>
      client(fastSettings(server.url, { csrfEnabled: false })),
    );
    await c.call("get", "/flows/");
    await FlowRunContext.run({ client: c, flowRunId: ids.flowRun, flowRunName: "sleepy-otter", deploymentId: "dep-1" }, () =>
      TaskRunContext.run({ client: c, taskRunId: "task-1" }, () => c.call("get", "/flows/")),
    );
    const [fromEnv, fromContext] = server.requests.map((r) => r.headers);
    expect(fromEnv).toMatchObject({
      "x-prefect-worker-id": ids.worker,
      "x-prefect-worker-name": "worker-a",
      "x-prefect-flow-run-id": ids.envFlowRun,
    });
    expect(fromEnv!["x-prefect-flow-run-name"]).toBeUndefined();
    expect(fromContext).toMatchObject({
      "x-prefect-worker-id": ids.worker,
      "x-prefect-flow-run-id": ids.flowRun,
      "x-prefect-flow-run-name": "sleepy-otter",
      "x-prefect-deployment-id": "dep-1",
      "x-prefect-task-run-id": "task-1",
    });
  });

  it("sends none without values, with attribution: false, and leaves out values that are not header-safe", async () => {
    const server = await api();
    const plain = client(fastSettings(server.url, { csrfEnabled: false }));
    const off = withEnv({ PREFECT__WORKER_ID: ids.worker }, () => client(fastSettings(server.url, { csrfEnabled: false, attribution: false })));
    await plain.call("get", "/flows/");
    await off.call("get", "/flows/");
    await FlowRunContext.run({ client: plain, flowRunId: "id\r\nX-Injected: 1" }, () => plain.call("get", "/flows/"));
    for (const request of server.requests)
      expect(Object.keys(request.headers).filter((h) => h.startsWith("x-prefect-") && h !== "x-prefect-api-version")).toEqual([]);
  });
});

describe("connect retries of the pool (Prefect's get_client: retries=3)", () => {
  it("waits 0, 0.5 and 1 s by default (httpcore's back-off), so retries land at ~0, 0.5 and 1.5 s", () => {
    expect([1, 2, 3].map((retry) => connectRetryDelayMs(retry, 1000))).toEqual([0, 500, 1000]);
  });

  it("a refused first connect is retried at 0, 0.5 and 1 units, and reaches a server that came up meanwhile", async () => {
    const port = await freePort();
    const events = recordEvents();
    const c = client(fastSettings(`http://127.0.0.1:${port}/api`, { csrfEnabled: false, retryBaseDelayMs: 400 }));
    const pending = c.call("get", "/flows/");
    await new Promise((resolve) => setTimeout(resolve, 100)); // after the first two attempts (0 and 0 s), before the third (0.2 s)
    const late = await listenOn(port);
    servers.push(late);
    try {
      expect(await pending).toEqual({ ok: true });
    } finally {
      events.stop();
    }
    expect(events.retries.map((e) => [e.phase, e.attempt, e.delayMs])).toEqual([
      ["connect", 1, 0],
      ["connect", 2, 200],
    ]);
    expect((events.retries[0]!.error as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("is bounded: with nothing listening the call fails after 3 connect retries", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const started = Date.now();
    const error = await client(
      fastSettings(`http://127.0.0.1:${port}/api`, { csrfEnabled: false, retryBaseDelayMs: 20, logger: { debug: (l) => lines.push(l) } }),
    )
      .call("get", "/flows/")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect(lines).toEqual([
      `connect to http://127.0.0.1:${port}: attempt 1/4 failed (connect ECONNREFUSED 127.0.0.1:${port}); retrying in 0.0 s`,
      expect.stringMatching(/attempt 2\/4 .* retrying in 0\.0 s$/),
      expect.stringMatching(/attempt 3\/4 .* retrying in 0\.0 s$/),
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("apiHealthcheck()", () => {
  it("resolves with undefined when healthy and with the error otherwise, never rejecting", async () => {
    const healthy = await api();
    expect(await client(fastSettings(healthy.url)).apiHealthcheck()).toBeUndefined();
    const sick = await api("http", () => ({ status: 500, body: { detail: "db down" } }));
    const error = await client(fastSettings(sick.url)).apiHealthcheck();
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).status).toBe(500);
    const refused = await client(fastSettings(`http://127.0.0.1:${await freePort()}/api`, { connectRetries: 0 })).apiHealthcheck();
    expect(refused).toBeInstanceOf(HTTPRequestError);
  });
});

describe("PREFECT_API_ENABLE_HTTP2", () => {
  it("speaks HTTP/2 to a TLS server offering h2 when enabled, HTTP/1.1 otherwise", async () => {
    const server = await api("http2");
    const env = { PREFECT_API_URL: server.url, PREFECT_API_SSL_CERT_FILE: cert.certFile };
    const h2 = client({
      ...fastSettings(""),
      ...settingsFromEnv({ ...env, PREFECT_API_ENABLE_HTTP2: "true" }, { profilesPath: false }),
      csrfEnabled: false,
    });
    const h1 = client({ ...fastSettings(""), ...settingsFromEnv(env, { profilesPath: false }), csrfEnabled: false });
    expect(await h2.call("get", "/flows/")).toEqual({ ok: true });
    expect(await h1.call("get", "/flows/")).toEqual({ ok: true });
    expect(server.requests.map((r) => r.httpVersion)).toEqual(["2.0", "1.1"]);
  });
});

/** An HTTP server on a given port answering like startApi's defaults. */
async function listenOn(port: number): Promise<{ close(): Promise<void> }> {
  const http = await import("node:http");
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
