// `Time: ...` as psql's \timing prints it: milliseconds, and a clock reading from one second on.

const pad = (n: number, width: number): string => String(Math.trunc(n)).padStart(width, '0');
/** Seconds as `SS.mmm`, zero-padded as C's `%06.3f`. */
const secondsText = (s: number): string => s.toFixed(3).padStart(6, '0');

/**
 * @example
 *   formatTiming(0.5123)   // 'Time: 0.512 ms'
 *   formatTiming(61234.5)  // 'Time: 61234.500 ms (01:01.235)'
 */
export function formatTiming(ms: number): string {
  const head = `Time: ${ms.toFixed(3)} ms`;
  if (ms < 1000) return head;
  let seconds = ms / 1000;
  let minutes = Math.floor(seconds / 60);
  seconds -= 60 * minutes;
  if (minutes < 60) return `${head} (${pad(minutes, 2)}:${secondsText(seconds)})`;
  let hours = Math.floor(minutes / 60);
  minutes -= 60 * hours;
  if (hours < 24) return `${head} (${pad(hours, 2)}:${pad(minutes, 2)}:${secondsText(seconds)})`;
  const days = Math.floor(hours / 24);
  hours -= 24 * days;
  return `${head} (${days} d ${pad(hours, 2)}:${pad(minutes, 2)}:${secondsText(seconds)})`;
}
