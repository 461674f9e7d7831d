/**
 * Session-token verification fed random strings, unsigned (alg=none) and algorithm-swapped tokens, foreign
 * secrets and audiences, and every combination of time claims: only an HS256 token signed with the app secret,
 * for this app, inside its lifetime and naming a shop, is accepted; every refusal is a SessionTokenError.
 */
import fc from "fast-check";
import { SignJWT } from "jose";
import { describe, expect, test } from "vitest";
import { SessionTokenError, verifySessionToken } from "~/shopify/session-token.server";

const SECRET = "session-token-hostile-secret";
const API_KEY = "hostile-api-key";
const NOW = new Date("2026-11-20T12:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);
const TOLERANCE_S = 5;
const SHOP = "hostile-token.myshopify.com";

const options = { secret: SECRET, apiKey: API_KEY, now: NOW };

async function refusal(token: string): Promise<unknown> {
  return verifySessionToken(token, options).then(
    (claims) => ({ accepted: claims }),
    (error: unknown) => error,
  );
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("tokens Shopify did not issue", () => {
  test("random strings and random three-part strings are refused with a SessionTokenError", async () => {
    const segment = fc.oneof(fc.base64String(), fc.string({ maxLength: 60 }), fc.jsonValue().map(base64url));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.tuple(segment, segment, segment).map((parts) => parts.join("."))), async (token) => {
        expect(await refusal(token)).toBeInstanceOf(SessionTokenError);
      }),
      { numRuns: 500 },
    );
  });

  test("an unsigned token (alg none) with perfect claims is refused", async () => {
    const claims = { iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: "gid://shopify/Customer/1", exp: NOW_S + 60, nbf: NOW_S - 60, iat: NOW_S };
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      for (const signature of ["", "x", Buffer.from("sig").toString("base64url")]) {
        const token = `${base64url({ alg, typ: "JWT" })}.${base64url(claims)}.${signature}`;
        expect(await refusal(token)).toBeInstanceOf(SessionTokenError);
      }
    }
  });

  test("a token signed with the app secret but another HMAC algorithm is refused", async () => {
    for (const alg of ["HS384", "HS512"]) {
      const token = await new SignJWT({ dest: `https://${SHOP}` })
        .setProtectedHeader({ alg })
        .setAudience(API_KEY)
        .setExpirationTime(NOW_S + 60)
        .sign(new TextEncoder().encode(SECRET));
      expect(await refusal(token)).toBeInstanceOf(SessionTokenError);
    }
  });
});

describe("HS256 tokens with every combination of secret, audience, time and destination", () => {
  const claimsArbitrary = fc.record({
    secret: fc.oneof(fc.constant(SECRET), fc.string({ minLength: 1, maxLength: 40 })),
    audience: fc.oneof(fc.constant(API_KEY), fc.constant([API_KEY, "other"] as string[]), fc.string({ maxLength: 20 }), fc.constant(undefined)),
    exp: fc.option(fc.integer({ min: -4_000, max: 4_000 }), { nil: undefined }),
    nbf: fc.option(fc.integer({ min: -4_000, max: 4_000 }), { nil: undefined }),
    dest: fc.oneof(fc.constant(`https://${SHOP}`), fc.constant(undefined), fc.string({ maxLength: 30 }), fc.webUrl()),
    sub: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  });

  test("accepted exactly when everything holds; then the shop is the destination's host", async () => {
    await fc.assert(
      fc.asyncProperty(claimsArbitrary, async (c) => {
        const jwt = new SignJWT({ ...(c.dest === undefined ? {} : { dest: c.dest }), ...(c.nbf === undefined ? {} : { nbf: NOW_S + c.nbf }) }).setProtectedHeader({ alg: "HS256", typ: "JWT" });
        if (c.audience !== undefined) jwt.setAudience(c.audience);
        if (c.exp !== undefined) jwt.setExpirationTime(NOW_S + c.exp);
        if (c.sub !== undefined) jwt.setSubject(c.sub);
        const token = await jwt.sign(new TextEncoder().encode(c.secret));

        const audienceOk = c.audience === API_KEY || Array.isArray(c.audience);
        const expOk = c.exp !== undefined && c.exp > -TOLERANCE_S;
        const nbfOk = c.nbf === undefined || c.nbf <= TOLERANCE_S;
        const destOk = c.dest !== undefined && URL.canParse(c.dest);
        const expected = c.secret === SECRET && audienceOk && expOk && nbfOk && destOk;

        const outcome = await refusal(token);
        if (expected) expect(outcome).toEqual({ accepted: { shop: new URL(c.dest!).hostname, sub: c.sub ?? null } });
        else expect(outcome).toBeInstanceOf(SessionTokenError);
      }),
      { numRuns: 800 },
    );
  });

  test("the refusal says why without echoing the token", async () => {
    const token = await new SignJWT({ dest: `https://${SHOP}` }).setProtectedHeader({ alg: "HS256" }).setAudience(API_KEY).setExpirationTime(NOW_S - 3_600).sign(new TextEncoder().encode(SECRET));
    const error = (await refusal(token)) as SessionTokenError;
    expect(error.message).toBe("session token rejected (ERR_JWT_EXPIRED)");
    expect(error.message).not.toContain(token.split(".")[1]);
  });
});
