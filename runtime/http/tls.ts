// PREFECT_API_SSL_CERT_FILE / SSL_CERT_FILE and PREFECT_API_TLS_INSECURE_SKIP_VERIFY as undici
// connect options. Like Prefect (httpx `verify=<file>`), a CA file replaces the default roots.
import { readFileSync } from "node:fs";
import { ClientSettingsError } from "./settings.js";

export interface TlsOptions {
  ca?: string;
  rejectUnauthorized: boolean;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----/;

/** Reads a PEM bundle; `label` names where the path came from (a variable or the setting). */
export function readCertFile(path: string, label: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ClientSettingsError(`Cannot read the CA certificate file ${JSON.stringify(path)} named by ${label} (${code}).`);
  }
  if (!CERTIFICATE.test(text)) {
    throw new ClientSettingsError(
      `The CA certificate file ${JSON.stringify(path)} named by ${label} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`,
    );
  }
  return text;
}

export function tlsOptions(sslCertFile: string | undefined, insecureSkipVerify: boolean): TlsOptions | undefined {
  if (insecureSkipVerify) return { rejectUnauthorized: false };
  if (sslCertFile === undefined) return undefined;
  return { ca: readCertFile(sslCertFile, "sslCertFile"), rejectUnauthorized: true };
}
