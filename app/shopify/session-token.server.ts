/**
 * Shopify session tokens (HS256 JWTs signed with the app secret): verified for extension requests, and minted
 * only in demo mode, where no Shopify admin exists to issue them.
 */
import { jwtVerify, SignJWT } from "jose";

export interface SessionTokenClaims {
  shop: string;
  /** The customer (extensions) or staff user (admin) the token speaks for; absent for a guest. */
  sub: string | null;
}

export class SessionTokenError extends Error {
  override name = "SessionTokenError";
}

export async function verifySessionToken(token: string, options: { secret: string; apiKey: string; now?: Date }): Promise<SessionTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(options.secret), {
      algorithms: ["HS256"],
      audience: options.apiKey,
      currentDate: options.now,
      clockTolerance: 5,
      requiredClaims: ["exp", "dest"],
    });
    const dest = new URL(String(payload.dest));
    return { shop: dest.hostname, sub: payload.sub ?? null };
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String((error as { code: string }).code) : "invalid";
    throw new SessionTokenError(`session token rejected (${reason})`);
  }
}

export async function mintSessionToken(options: { shop: string; apiKey: string; secret: string; sub: string; now?: Date; ttlSeconds?: number }): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ dest: `https://${options.shop}`, sid: `demo-${options.sub}` })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${options.shop}/admin`)
    .setAudience(options.apiKey)
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(options.secret));
}
