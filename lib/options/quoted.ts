/**
 * Characters that change how a line reads when printed, beyond the C0 controls JSON.stringify
 * escapes: DEL and C1 controls, bidirectional overrides, isolates and marks, line and paragraph
 * separators, invisible ones.
 */
const UNPRINTABLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/**
 * `value` in double quotes for an error message or a log line, with every character that could
 * spoof the line (a right-to-left override in an id taken from a URL) as a `\uXXXX` escape.
 */
export function quoted(value: string): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
