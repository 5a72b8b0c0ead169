/**
 * The WebAssembly loops of Triple DES and RC2 CBC decryption (./cipher.wat, shipped as
 * ./cipher-wasm.ts), for ./des3.ts and ./rc2.ts: compiled at the first legacy decryption, where
 * the runtime compiles WebAssembly (Node, Deno, Bun); elsewhere (Cloudflare Workers) and while
 * tests turn it off (`shaEngine("js")`), those modules run their JavaScript. Same results either
 * way: the tests check both on every runtime.
 *
 * @module
 */
import { CIPHER_WASM } from "./cipher-wasm.ts";
import { lazyWasm } from "./sha.ts";

interface Ciphers {
  readonly m8: Uint8Array;
  readonly m32: Int32Array;
  /** CBC decryption of the `n` 8-byte blocks at byte `ptr` of the memory, in place. */
  des3(ptr: number, n: number): void;
  rc2(ptr: number, n: number): void;
}

/** Memory layout (./cipher.wat): the round keys (Triple DES at 3072, RC2 at 3584), the IV, the input. */
const KEYS = { des3: 3072, rc2: 3584 } as const;
const IV = 3456;
const KEYS_END = 3840;
const INPUT = 4096;
/** The most ciphertext the memory takes at once (whole blocks). */
const CHUNK = (65536 - INPUT) & ~7;

/** The module, compiled at the first legacy decryption; null where it does not compile. */
const engine = lazyWasm<Ciphers>(CIPHER_WASM, (exports, m8, m32) => ({
  m8,
  m32,
  des3: exports.des3 as Ciphers["des3"],
  rc2: exports.rc2 as Ciphers["rc2"],
}));

/**
 * CBC decryption of `data` (whole 8-byte blocks) with the WebAssembly loop of Triple DES or RC2,
 * given the cipher's expanded key (`keys`: Triple DES's 96 round-key words in decryption order,
 * RC2's 64 key words); `undefined` where the WebAssembly is not in use, for the caller's
 * JavaScript to do it. The data goes through the memory in chunks (the IV carried from one to the
 * next); the key words, the IV and the data are zeroed there afterwards (they are key material
 * and plaintext, and this memory lives as long as the module).
 *
 * @example
 * ```ts
 * const plain = wasmCbcDecrypt("rc2", expandKey(key, 40), iv, data) ?? javaScriptRc2(key, iv, data);
 * ```
 */
export function wasmCbcDecrypt(cipher: "des3" | "rc2", keys: Int32Array, iv: Uint8Array, data: Uint8Array): Uint8Array | undefined {
  const w = engine();
  if (!w) return undefined;
  const out = new Uint8Array(data.length);
  let used = 0;
  try {
    w.m32.set(keys, KEYS[cipher] >> 2);
    w.m8.set(iv, IV);
    for (let off = 0; off < data.length; off += CHUNK) {
      const part = data.subarray(off, Math.min(off + CHUNK, data.length));
      used = Math.max(used, part.length);
      w.m8.set(part, INPUT);
      w[cipher](INPUT, part.length >> 3);
      out.set(w.m8.subarray(INPUT, INPUT + part.length), off);
    }
  } finally {
    w.m8.fill(0, KEYS.des3, KEYS_END);
    w.m8.fill(0, INPUT, INPUT + used);
  }
  return out;
}
