/**
 * Characters for codes people read and type: no 0/O or 1/I, which are confused in print. 32 symbols,
 * so each character takes 5 bits of a random byte and no character is likelier than another.
 */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

export function encodeCode(bytes: Uint8Array, length: number): string {
  if (bytes.length < length) throw new Error(`need ${length} bytes for a ${length}-character code, got ${bytes.length}`);
  let code = "";
  for (let i = 0; i < length; i++) code += ALPHABET[bytes[i] & 31];
  return code;
}

/** Upper-cases and drops spaces and dashes; null unless what is left is `length` code characters. */
export function normalizeCode(input: string, length: number): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  if (compact.length !== length) return null;
  for (const char of compact) if (!ALPHABET.includes(char)) return null;
  return compact;
}
