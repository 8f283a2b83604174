/**
 * A hand-assembled WebAssembly module with vigil_fft's exports whose
 * operations all trap (`unreachable`), like a Rust panic would; used to test
 * how wasm/fft.ts reports traps. Encoded per the WebAssembly binary format
 * (https://webassembly.github.io/spec/core/binary/modules.html).
 */

const I32 = 0x7f

function leb(value: number): number[] {
  const bytes: number[] = []
  let v = value
  do {
    let byte = v & 0x7f
    v >>>= 7
    if (v !== 0) byte |= 0x80
    bytes.push(byte)
  } while (v !== 0)
  return bytes
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content]
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)]
  return [...leb(bytes.length), ...bytes]
}

/** The module's bytes. */
export function trappingFftWasm(): Uint8Array {
  // [export name, parameter count, result count, body]
  const functions: [string, number, number, number[]][] = [
    ['vf_alloc', 1, 1, [0x41, ...leb(1024), 0x0b]], // i32.const 1024; end
    ['vf_free', 2, 0, [0x0b]],
    ['vf_rfft', 5, 1, [0x00, 0x0b]], // unreachable; end
    ['vf_power_spectrum', 4, 1, [0x00, 0x0b]],
    ['vf_stft_band_power', 10, 1, [0x00, 0x0b]],
    ['vf_fir_resample', 9, 1, [0x00, 0x0b]],
  ]
  const types = functions.flatMap(([, params, results]) => [
    0x60,
    ...leb(params),
    ...Array<number>(params).fill(I32),
    ...leb(results),
    ...Array<number>(results).fill(I32),
  ])
  const exports = [
    ...name('memory'),
    0x02,
    0x00,
    ...functions.flatMap(([exportName], index) => [...name(exportName), 0x00, ...leb(index)]),
  ]
  const bodies = functions.flatMap(([, , , body]) => {
    const code = [0x00, ...body] // no locals
    return [...leb(code.length), ...code]
  })
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...leb(functions.length), ...types]),
    ...section(3, [...leb(functions.length), ...functions.map((_, index) => index)]),
    ...section(5, [0x01, 0x00, 0x01]), // one memory, min 1 page
    ...section(7, [...leb(functions.length + 1), ...exports]),
    ...section(10, [...leb(functions.length), ...bodies]),
  ])
}
