// Syntax error messages of the grammar: what was expected, encoded for parser/index.ts to decode.

import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { ALL_TOKENS, T } from './lexer/tokens.js';

/** Encodes what an error expected into chevrotain's message string; decoded in parser/index.ts. */
export interface EncodedError {
  /** Offset and image of the token the error is at (lookahead may point past the first token). */
  readonly offset: number;
  readonly image: string;
  readonly expected: string[];
}

function tokenLabel(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** Categories listed by their members in errors: "'+', '-', NOT" says more than "operator". */
const SPELLED_OUT: ReadonlyMap<TokenType, readonly TokenType[]> = new Map(
  [T.PrefixOp, T.Niladic, T.KeywordFunction].map((category) => [
    category,
    ALL_TOKENS.filter((t) => t.CATEGORIES?.includes(category) === true),
  ]),
);

function encode(token: IToken | undefined, expected: Iterable<TokenType>): string {
  const names = new Set<string>();
  for (const type of expected) {
    for (const member of SPELLED_OUT.get(type) ?? [type]) names.add(tokenLabel(member));
  }
  const error: EncodedError = {
    offset: token === undefined || token.tokenType === EOF ? -1 : token.startOffset,
    image: token === undefined || token.tokenType === EOF ? '' : token.image,
    expected: [...names],
  };
  return JSON.stringify(error);
}

/**
 * With LL(k) lookahead the first token may match some alternatives: the
 * error is then at the first token where no path matches.
 */
function encodePaths(paths: TokenType[][], actual: IToken[]): string {
  let depth = 0;
  for (const path of paths) {
    let d = 0;
    while (d < path.length - 1 && actual[d] !== undefined && matches(actual[d] as IToken, path[d] as TokenType)) d++;
    depth = Math.max(depth, d);
  }
  const expected: TokenType[] = [];
  for (const path of paths) {
    let prefix = true;
    for (let d = 0; d < depth; d++) if (!matches(actual[d] as IToken, path[d] as TokenType)) prefix = false;
    if (prefix && path[depth] !== undefined) expected.push(path[depth] as TokenType);
  }
  return encode(actual[depth], expected);
}

function matches(token: IToken, type: TokenType): boolean {
  return token.tokenType === type || type.categoryMatchesMap?.[token.tokenTypeIdx] === true;
}

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => encode(actual, [expected]),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => encode(firstRedundant, []),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) => encodePaths(expectedPathsPerAlt.flat(), actual),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) => encodePaths(expectedIterationPaths, actual),
};
