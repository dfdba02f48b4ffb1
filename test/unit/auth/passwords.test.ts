import { describe, expect, test } from "vitest";
import { hashPassword, needsRehash, passwordProblem, verifyAgainstDecoy, verifyPassword } from "@/lib/auth/passwords";

describe("passwords", () => {
  test("a hash carries scrypt's parameters and a salt, and verifies only its password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });
  test("the same password hashes differently each time (salt)", async () => {
    const [a, b] = await Promise.all([hashPassword("same password here"), hashPassword("same password here")]);
    expect(a).not.toBe(b);
  });
  test("Unicode is compared in one normal form", async () => {
    const composed = "passwörd-passwörd";
    const decomposed = composed.normalize("NFD");
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });
  test("older parameters still verify and ask for a rehash", async () => {
    // The same derivation at N=2^14, as a future upgrade would leave it behind.
    const { scryptSync, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = scryptSync("an older password", salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const old = ["scrypt", 14, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
    expect(await verifyPassword("an older password", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });
  test("malformed or absurd stored hashes never verify", async () => {
    for (const stored of ["", "plain", "scrypt$15$8$1$c2FsdA$", "scrypt$30$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "bcrypt$x$y$z$a$b"]) {
      expect(await verifyPassword("whatever password", stored)).toBe(false);
    }
  });
  test("policy: at least 12 characters, at most 1024", async () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("twelve chars")).toBeNull();
    expect(passwordProblem("x".repeat(1025))).toMatch(/at most/);
    await expect(hashPassword("short")).rejects.toThrow(/at least 12/);
  });
  test("the decoy check takes a real hash's time and always fails", async () => {
    expect(await verifyAgainstDecoy("anything at all")).toBe(false);
  });
});
