/**
 * Certificates made with openssl at test time, for what the fixtures in tests/fixtures/tls/ cannot show: an
 * expired leaf (a fixture would have to be expired already, or expire one day), which comes with its CA in the
 * chain the server sends, so that expiry is the only thing wrong with it; a leaf for another name than the URL's;
 * and a self-signed certificate that is its own CA, as `openssl req -x509` makes one. Null where openssl is
 * missing.
 */

/** A certificate chain (leaf first, then its CA) and the leaf's key, as PEM. */
export interface Certificate {
  cert: string;
  key: string;
}

async function openssl(args: string[], cwd: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

const CA_CONFIG = `[ca]
default_ca = test_ca
[test_ca]
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = any
x509_extensions = leaf
[any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
subjectAltName = __NAMES__
`;

/**
 * A leaf for localhost and 127.0.0.1 that expired in February 2020, signed by a CA made for it (sent in the
 * chain); null when openssl is not installed.
 */
export async function expiredCertificate(): Promise<Certificate | null> {
  const made = await caSignedLeaf("DNS:localhost,IP:127.0.0.1", [
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200201000000Z",
  ]);
  return made === null ? null : { cert: made.cert + made.ca, key: made.key };
}

/**
 * A leaf valid now for `wrong.example` only, its CA's certificate apart (to pass as `--cacert`): a server
 * reached by another name; null when openssl is not installed.
 */
export async function wrongNameCertificate(): Promise<(Certificate & { ca: string }) | null> {
  return await caSignedLeaf("DNS:wrong.example", ["-days", "2"]);
}

/**
 * A leaf for localhost and 127.0.0.1 signed with SHA-1 by a CA made for it, as old internal servers still have;
 * null when openssl is not installed.
 */
export async function sha1SignedCertificate(): Promise<(Certificate & { ca: string }) | null> {
  return await caSignedLeaf("DNS:localhost,IP:127.0.0.1", ["-days", "2", "-md", "sha1"]);
}

/** A leaf for `names` (subjectAltName) with the `dates` options of `openssl ca`, signed by a CA made for it. */
async function caSignedLeaf(names: string, dates: string[]): Promise<(Certificate & { ca: string }) | null> {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-tls-" });
  try {
    await Deno.writeTextFile(`${dir}/ca.cnf`, CA_CONFIG.replace("__NAMES__", names));
    await Deno.writeTextFile(`${dir}/index.txt`, "");
    await Deno.writeTextFile(`${dir}/serial`, "01\n");
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    const made = await openssl(
      [
        "req",
        "-x509",
        ...ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=expired-test-ca",
      ],
      dir,
    ) &&
      await openssl([
        "req",
        "-new",
        ...ec,
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
      ], dir) &&
      await openssl([
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-cert",
        "ca.pem",
        "-keyfile",
        "ca.key",
        "-in",
        "leaf.csr",
        "-out",
        "leaf.pem",
        "-notext",
        ...dates,
      ], dir);
    if (!made) return null;
    const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
    return { cert: await read("leaf.pem"), key: await read("leaf.key"), ca: await read("ca.pem") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A self-signed certificate for localhost and 127.0.0.1 as `openssl req -x509` makes it, its own CA (`CA:TRUE`),
 * which many users serve; null when openssl is not installed.
 */
export async function selfSignedCaCertificate(): Promise<Certificate | null> {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-tls-" });
  try {
    const made = await openssl([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "self.key",
      "-out",
      "self.pem",
      "-days",
      "30",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ], dir);
    if (!made) return null;
    return {
      cert: await Deno.readTextFile(`${dir}/self.pem`),
      key: await Deno.readTextFile(`${dir}/self.key`),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
