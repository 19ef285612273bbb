import { base } from '../_base/base';

// 1 GiB of WebAssembly memory and 1 GiB of SharedArrayBuffer, one byte written per page: neither
// is counted by the heap limit. The site's context has no WebAssembly, SharedArrayBuffer or
// Atomics, and the evaluator's OS limit would refuse the allocation anyway.
const g = globalThis as unknown as Record<string, any>;
const memory = new g.WebAssembly.Memory({ initial: 16384 });
const shared = new g.SharedArrayBuffer(1 << 30);
for (const buffer of [memory.buffer, shared]) {
  const bytes = new Uint8Array(buffer);
  for (let page = 0; page < bytes.length; page += 4096) bytes[page] = 1;
}
export default { ...base('wasm-memory'), description: `${memory.buffer.byteLength + shared.byteLength}` };
