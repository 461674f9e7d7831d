/** Request helpers shared by every endpoint Shopify or shoppers call. */

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; status: 413 | 400; message: string };

/** Reads the raw body, refusing anything over `limit` bytes without buffering it all. */
export async function readBodyWithLimit(request: Request, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return { ok: false, status: 413, message: `body larger than ${limit} bytes` };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, status: 413, message: `body larger than ${limit} bytes` };
    }
    chunks.push(Buffer.from(value));
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
