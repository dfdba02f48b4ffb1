import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestPki {
  dir: string;
  caFile: string;
  caKeyFile: string;
  caPem: string;
  leafKeyPem: string;
  leafPem: string;
  /** Leaf then CA: the chain a server presents. */
  chainPem: string;
}

export const TEST_CA_SUBJECT = "/O=Linkscope Tests/CN=Linkscope Test Root CA";

export interface PkiOptions {
  /** The leaf's IP SANs (default 127.0.0.1). */
  ips?: string[];
  /** The leaf's DNS SANs (default localhost). */
  names?: string[];
  caSubject?: string;
}

/** A private CA and a leaf for 127.0.0.1 / localhost (or the given SANs), made with openssl (EC keys: fast). */
export function createTestPki(options: PkiOptions = {}): TestPki {
  const ips = options.ips ?? ["127.0.0.1"];
  const names = options.names ?? ["localhost"];
  const sans = [...ips.map((ip) => `IP:${ip}`), ...names.map((name) => `DNS:${name}`)].join(",");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-pki-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
  openssl("req", "-x509", "-new", "-key", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", options.caSubject ?? TEST_CA_SUBJECT,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key");
  openssl("req", "-new", "-key", "leaf.key", "-out", "leaf.csr", "-subj", `/O=Linkscope Tests/CN=${ips[0] ?? names[0]}`);
  fs.writeFileSync(file("leaf.ext"), `subjectAltName=${sans}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext");
  const caPem = fs.readFileSync(file("ca.pem"), "utf8");
  const leafPem = fs.readFileSync(file("leaf.pem"), "utf8");
  return {
    dir,
    caFile: file("ca.pem"),
    caKeyFile: file("ca.key"),
    caPem,
    leafKeyPem: fs.readFileSync(file("leaf.key"), "utf8"),
    leafPem,
    chainPem: leafPem + caPem,
  };
}
