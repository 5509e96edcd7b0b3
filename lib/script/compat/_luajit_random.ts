/**
 * `math.random` and `math.randomseed` as LuaJIT 2.1 computes them (`lib_math.c`, `lj_prng.c`), bit for bit: a
 * Tausworthe generator of period 2^223 (four combined 64-bit LFSRs), seeded from a double by `random_seed`.
 * wrk's scripts run on LuaJIT, so a script that seeds with a number draws exactly the sequence it draws under
 * wrk, and an unseeded thread starts from LuaJIT's fixed state, as every wrk thread does (docs/lua-api.md).
 * fengari's own generator loses the low bits of its state in doubles and falls into a short cycle.
 *
 * The 64-bit words are kept as pairs of 32-bit halves (JS has no 64-bit integers outside BigInt, which would
 * allocate on every draw).
 *
 * @module
 */

/** The generators' parameters (k, q, s), as in `TW223_STEP`. */
const GENERATORS: readonly (readonly [number, number, number])[] = [
  [63, 31, 18],
  [58, 19, 28],
  [55, 24, 7],
  [47, 21, 8],
];

/** 2^32 and 2^52, to build a double from the low 52 bits of the result. */
const TWO_32 = 4294967296;
const TWO_52 = 4503599627370496;

/** One thread's (one Lua state's) generator. */
export class LuaJitRandom {
  /** u[i] as hi, lo pairs: state[2i] is the high half. */
  readonly #state = new Uint32Array(8);
  readonly #bits = new Float64Array(1);
  readonly #bitsWords = new Uint32Array(this.#bits.buffer);

  /** A generator in LuaJIT's fixed start state (`lj_prng_seed_fixed`, the state `random_seed(0.0)` gives). */
  constructor() {
    this.seed(0);
  }

  /** `math.randomseed(d)`: LuaJIT's `random_seed`. */
  seed(d: number): void {
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    let r = 0x11090601; // 64 - k[i] as four 8-bit constants
    for (let i = 0; i < 4; i++) {
      const m = 2 ** (r & 255);
      r >>>= 8;
      d = d * 3.14159265358979323846 + 2.7182818284590452354;
      this.#bits[0] = d;
      let hi = this.#bitsWords[little ? 1 : 0];
      let lo = this.#bitsWords[little ? 0 : 1];
      // As an unsigned 64-bit comparison with m < 2^32: only a zero high half can be below it.
      if (hi === 0 && lo < m) {
        lo += m;
        hi = 0;
      }
      this.#state[2 * i] = hi;
      this.#state[2 * i + 1] = lo;
    }
    for (let i = 0; i < 10; i++) this.#step();
  }

  /** `math.randomseed()` without an argument: a seed from the system's entropy, as LuaJIT 2.1's. */
  seedSecurely(): void {
    crypto.getRandomValues(this.#state);
    // lj_prng_condition: the top k[i] bits of each word must not all be zero.
    const minimum = [2, 64, 512, 131072];
    for (let i = 0; i < 4; i++) {
      if (this.#state[2 * i] === 0 && this.#state[2 * i + 1] < minimum[i]) {
        this.#state[2 * i + 1] += minimum[i];
      }
    }
    this.#step();
  }

  /** The next double in [0, 1): LuaJIT's `lj_prng_u64d` minus 1.0. */
  next(): number {
    this.#step();
    const r = this.#r;
    return ((r[0] & 0xfffff) * TWO_32 + r[1]) / TWO_52;
  }

  /**
   * The last step's result (hi, lo), in a typed array: a field or a module variable holding a 32-bit value
   * above 2^30 would box it in a new heap number on every store.
   */
  readonly #r = new Uint32Array(2);

  /**
   * `TW223_STEP`: advances the four generators; their xor is left in `#r`. The 64-bit shifts are written out
   * on local 32-bit halves (signed or not: only the bits matter), which the JIT keeps in registers.
   */
  #step(): void {
    const state = this.#state;
    let rHi = 0;
    let rLo = 0;
    for (let i = 0; i < 4; i++) {
      const g = GENERATORS[i];
      const k = g[0];
      const q = g[1];
      const s = g[2];
      const zHi = state[2 * i];
      const zLo = state[2 * i + 1];
      // a = ((z << q) ^ z) >> (k - s)
      let tHi: number, tLo: number;
      if (q >= 32) {
        tHi = zLo << (q - 32);
        tLo = 0;
      } else {
        tHi = (zHi << q) | (zLo >>> (32 - q));
        tLo = zLo << q;
      }
      const uHi = tHi ^ zHi;
      const uLo = tLo ^ zLo;
      const r = k - s;
      let aHi: number, aLo: number;
      if (r >= 32) {
        aHi = 0;
        aLo = uHi >>> (r - 32);
      } else {
        aHi = uHi >>> r;
        aLo = (uLo >>> r) | (uHi << (32 - r));
      }
      // b = (z & (-1 << (64 - k))) << s: keep the top k bits, then shift.
      const m = 64 - k;
      let mHi: number, mLo: number;
      if (m >= 32) {
        mHi = -1 << (m - 32);
        mLo = 0;
      } else {
        mHi = -1;
        mLo = -1 << m;
      }
      const kHi = zHi & mHi;
      const kLo = zLo & mLo;
      let bHi: number, bLo: number;
      if (s >= 32) {
        bHi = kLo << (s - 32);
        bLo = 0;
      } else {
        bHi = (kHi << s) | (kLo >>> (32 - s));
        bLo = kLo << s;
      }
      const nHi = aHi ^ bHi;
      const nLo = aLo ^ bLo;
      state[2 * i] = nHi;
      state[2 * i + 1] = nLo;
      rHi ^= nHi;
      rLo ^= nLo;
    }
    this.#r[0] = rHi;
    this.#r[1] = rLo;
  }
}
