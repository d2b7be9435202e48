/**
 * The CA file setting → PEM text, read asynchronously once per set of clients (never on the
 * extension host's thread in a blocking call), with an error that says what is wrong with the
 * file: missing, unreadable, a folder, too large to be a CA bundle, or not PEM certificates.
 */
import { readFile, stat } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { TlsOptions } from './options';

/** A CA bundle is kilobytes (Mozilla's whole store is ~250 KB); more means the wrong file. */
const MAX_CA_BYTES = 4 * 1024 * 1024;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Why a CA file cannot be used, in words for the user; the caller wraps it in a ConfigError. */
export class CaFileError extends Error {
  override readonly name = 'CaFileError';
}

/** Reads and checks a PEM CA file; resolves to its text. */
export async function readCaFile(path: string): Promise<string> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new CaFileError(`The CA file ${path} is a folder; set spanlens.tls.caFile to a PEM file of CA certificates.`);
    size = st.size;
  } catch (err) {
    if (err instanceof CaFileError) throw err;
    throw new CaFileError(describeFsError(path, err));
  }
  if (size > MAX_CA_BYTES) throw new CaFileError(`The CA file ${path} is ${Math.round(size / 1048576)} MB, too large to be a CA bundle; is it the right file?`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CaFileError(describeFsError(path, err));
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    const der = text.charCodeAt(0) === 0x30 || /[\u0000-\u0008]/.test(text.slice(0, 64));
    throw new CaFileError(
      `The CA file ${path} is not PEM: it holds no "-----BEGIN CERTIFICATE-----" block.` +
        (der ? ` It looks like DER (binary); convert it with: openssl x509 -inform der -in ${path} -out ca.pem` : ''),
    );
  }
  blocks.forEach((b, i) => {
    try {
      new X509Certificate(b);
    } catch (err) {
      throw new CaFileError(`The CA file ${path} has a certificate that does not parse (block ${i + 1} of ${blocks.length}): ${(err as Error).message}`);
    }
  });
  return text;
}

function describeFsError(path: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `The CA file ${path} does not exist; check spanlens.tls.caFile (an absolute path).`;
    case 'EACCES':
    case 'EPERM':
      return `The CA file ${path} cannot be read: permission denied.`;
    case 'EISDIR':
      return `The CA file ${path} is a folder; set spanlens.tls.caFile to a PEM file of CA certificates.`;
    default:
      return `Cannot read the CA file ${path}: ${(err as Error).message ?? String(code)}`;
  }
}

/** TLS settings with `caFile` read into `ca`, so clients are built without touching the disk. */
export async function loadTls(tls: TlsOptions | undefined): Promise<TlsOptions | undefined> {
  if (!tls?.caFile) return tls;
  const ca = await readCaFile(tls.caFile);
  return { ca: tls.ca ? `${tls.ca}\n${ca}` : ca, insecureSkipVerify: tls.insecureSkipVerify };
}
