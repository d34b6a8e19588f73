// Decoding of quoted literals and identifiers as written into their values.

/** A malformed literal; `offset` is relative to the start of the token. */
export class LiteralError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'LiteralError';
  }
}

/** `'it''s'` -> `it's` */
export function decodePlainString(image: string): string {
  const body = image.slice(1, -1);
  return body.includes("''") ? body.replaceAll("''", "'") : body;
}

/** `$$text$$` / `$tag$text$tag$` -> `text` */
export function decodeDollarString(image: string): string {
  const tagLength = image.indexOf('$', 1) + 1;
  return image.slice(tagLength, image.length - tagLength);
}

/** `"My ""Col"""` -> `My "Col"` */
export function decodeQuotedIdentifier(image: string): string {
  const body = image.slice(1, -1);
  if (body === '') throw new LiteralError('zero-length delimited identifier', 0);
  // `"..."` (PostgreSQL) or Flink's backticks; the quote doubled stands for itself.
  const doubled = (image[0] as string).repeat(2);
  return body.includes(doubled) ? body.replaceAll(doubled, image[0] as string) : body;
}

function isHex(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

function codePointString(code: number, offset: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    throw new LiteralError('invalid Unicode escape value', offset);
  }
  return String.fromCodePoint(code);
}

/** `E'a\tb\x41\u00e9'`: PostgreSQL's backslash escapes. */
export function decodeEscapeString(image: string): string {
  // image is E'...': the body starts at 2.
  const end = image.length - 1;
  let out = '';
  let i = 2;
  while (i < end) {
    const c = image[i] as string;
    if (c === "'") {
      // Only doubled quotes can occur inside the body.
      out += "'";
      i += 2;
      continue;
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const start = i;
    const e = image[i + 1] as string;
    i += 2;
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'x': {
        let hex = '';
        while (hex.length < 2 && i < end && isHex(image[i] as string)) hex += image[i++];
        out += hex === '' ? 'x' : String.fromCharCode(parseInt(hex, 16));
        break;
      }
      case 'u': case 'U': {
        const digits = e === 'u' ? 4 : 8;
        const hex = image.slice(i, i + digits);
        if (hex.length !== digits || ![...hex].every(isHex)) {
          throw new LiteralError('invalid Unicode escape', start);
        }
        i += digits;
        out += codePointString(parseInt(hex, 16), start);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          let oct = e;
          while (oct.length < 3 && i < end && (image[i] as string) >= '0' && (image[i] as string) <= '7') oct += image[i++];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else {
          out += e;
        }
    }
  }
  return out;
}

/** `U&'d\0061t\+000061'` with an optional UESCAPE character (default `\`). */
export function decodeUnicodeString(image: string, escape = '\\'): string {
  const body = decodePlainString(image.slice(2));
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c !== escape) {
      out += c;
      i++;
      continue;
    }
    // Offsets in errors are relative to the token; the body starts after U&'.
    const at = i + 3;
    if (body[i + 1] === escape) {
      out += escape;
      i += 2;
    } else if (body[i + 1] === '+') {
      const hex = body.slice(i + 2, i + 8);
      if (hex.length !== 6 || ![...hex].every(isHex)) throw new LiteralError('invalid Unicode escape', at);
      out += codePointString(parseInt(hex, 16), at);
      i += 8;
    } else {
      const hex = body.slice(i + 1, i + 5);
      if (hex.length !== 4 || ![...hex].every(isHex)) throw new LiteralError('invalid Unicode escape', at);
      const code = parseInt(hex, 16);
      // A surrogate pair written as two escapes.
      if (code >= 0xd800 && code <= 0xdbff && body[i + 5] === escape) {
        const low = body.slice(i + 6, i + 10);
        const lowCode = parseInt(low, 16);
        if (low.length === 4 && [...low].every(isHex) && lowCode >= 0xdc00 && lowCode <= 0xdfff) {
          out += String.fromCharCode(code, lowCode);
          i += 10;
          continue;
        }
      }
      out += codePointString(code, at);
      i += 5;
    }
  }
  return out;
}

/** Checks a UESCAPE character: one character, not a hex digit, `+`, `'`, `"` or white space. */
export function checkUescape(value: string): void {
  if (value.length !== 1 || isHex(value) || '+\'" \t\n\r\f'.includes(value)) {
    throw new LiteralError('invalid Unicode escape character', 0);
  }
}

/** `X'0A FF'` -> `0AFF` (white space allowed between digits, as the standard says). */
export function decodeHexString(image: string): string {
  const body = image.slice(2, -1);
  let hex = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (isHex(c)) hex += c;
    else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      throw new LiteralError(`"${c}" is not a valid hexadecimal digit`, i + 2);
    }
  }
  return hex;
}
