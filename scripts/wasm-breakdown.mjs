// Breaks a .wasm file down by where its bytes go: each section, and the code
// section's function bodies grouped by the crate in their (mangled) names.
// It needs a name section, so run it on the build before wasm-opt or
// `--remove-name-section`. Usage: node scripts/wasm-breakdown.mjs FILE [--json]
import fs from 'node:fs';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count'];

// Reads one unsigned LEB128 number at `offset`; returns [value, next offset].
function readUleb(bytes, offset) {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = bytes[position];
    if (byte === undefined) throw new Error(`truncated LEB128 number at byte ${offset}`);
    position += 1;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, position];
  }
}

function readName(bytes, offset) {
  const [length, start] = readUleb(bytes, offset);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

function sections(bytes) {
  const found = [];
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset];
    const [size, start] = readUleb(bytes, offset + 1);
    let name = SECTION_NAMES[id] ?? `id ${id}`;
    if (id === 0) name = `custom "${readName(bytes, start)[0]}"`;
    found.push({ id, name, start, size, total: start + size - offset });
    offset = start + size;
  }
  return found;
}

function importedFunctionCount(bytes, section) {
  let [count, offset] = readUleb(bytes, section.start);
  let functions = 0;
  for (let i = 0; i < count; i += 1) {
    [, offset] = readName(bytes, offset);
    [, offset] = readName(bytes, offset);
    const kind = bytes[offset];
    offset += 1;
    if (kind === 0) {
      functions += 1;
      [, offset] = readUleb(bytes, offset);
    } else if (kind === 1) {
      offset += 1;
      const flags = bytes[offset];
      [, offset] = readUleb(bytes, offset + 1);
      if (flags & 1) [, offset] = readUleb(bytes, offset);
    } else if (kind === 2) {
      const flags = bytes[offset];
      [, offset] = readUleb(bytes, offset + 1);
      if (flags & 1) [, offset] = readUleb(bytes, offset);
    } else {
      offset += 2;
    }
  }
  return functions;
}

function functionNames(bytes, section) {
  const names = new Map();
  let offset = readName(bytes, section.start)[1];
  const end = section.start + section.size;
  while (offset < end) {
    const id = bytes[offset];
    const [size, start] = readUleb(bytes, offset + 1);
    if (id === 1) {
      let [count, position] = readUleb(bytes, start);
      for (let i = 0; i < count; i += 1) {
        let index;
        let name;
        [index, position] = readUleb(bytes, position);
        [name, position] = readName(bytes, position);
        names.set(index, name);
      }
    }
    offset = start + size;
  }
  return names;
}

// The crate of a Rust symbol: the first path segment of a legacy-mangled
// name (`_ZN` + length-prefixed segments) or of an already demangled one.
function crateOf(name) {
  const mangled = /^_ZN(\d+)/.exec(name);
  if (mangled) {
    const length = Number(mangled[1]);
    const start = mangled[0].length;
    return name.slice(start, start + length).replace(/\.\.$/, '');
  }
  const path = /^<?(?:&(?:mut )?)?([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  if (path) return path[1];
  const traitImpl = / as ([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  if (traitImpl) return traitImpl[1];
  return /^<(str|f64|f32|u\d+|i\d+|usize|isize|bool|char)>::/.test(name) ? 'core' : '(other)';
}

export function breakdown(bytes) {
  const all = sections(bytes);
  const importSection = all.find((s) => s.id === 2);
  const codeSection = all.find((s) => s.id === 10);
  const nameSection = all.find((s) => s.name === 'custom "name"');
  const imported = importSection ? importedFunctionCount(bytes, importSection) : 0;
  const names = nameSection ? functionNames(bytes, nameSection) : new Map();

  const crates = new Map();
  if (codeSection) {
    let [count, offset] = readUleb(bytes, codeSection.start);
    for (let i = 0; i < count; i += 1) {
      const [size, start] = readUleb(bytes, offset);
      const name = names.get(imported + i) ?? "";
      const crate = crateOf(name);
      if (process.env.BREAKDOWN_DEBUG && crate === "(other)") console.error(size, name.slice(0, 120));
      crates.set(crate, (crates.get(crate) ?? 0) + size + (start - offset));
      offset = start + size;
    }
  }
  return {
    sections: all.map(({ name, total }) => ({ name, bytes: total })).sort((a, b) => b.bytes - a.bytes),
    crates: [...crates].map(([crate, size]) => ({ crate, bytes: size })).sort((a, b) => b.bytes - a.bytes),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/wasm-breakdown.mjs FILE.wasm [--json]');
    process.exit(2);
  }
  const result = breakdown(fs.readFileSync(file));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const { name, bytes } of result.sections) console.log(`section ${name}: ${bytes}`);
    for (const { crate, bytes } of result.crates.slice(0, 25)) console.log(`code ${crate}: ${bytes}`);
  }
}
